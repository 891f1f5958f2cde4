/**
 * What qmp-shell sends for a line typed at its prompt (QEMU's python/qemu/qmp/qmp_shell.py,
 * `_build_cmd`, `_cli_expr`, `_parse_value`): `blockdev-add driver=file node-name=f0
 * filename=/x` is `{"execute": "blockdev-add", "arguments": {"driver": "file", …}}`. A value is an
 * integer if Python's int() takes it, a boolean if it is true or false in any case, a JSON or
 * Python literal if it starts with `{` or `[` and reads as one, and otherwise the text as typed
 * (quotes included, and `null` too: qmp-shell has no way to send a top-level null). A dotted key
 * (`file.driver=file`) builds nested objects. `transaction(` opens a transaction whose actions
 * are typed one a line at the `TRANS>` prompt, up to `)`; `transaction( action args )` is the
 * one-line form.
 */
import { LiteralError, parseLiteral } from './literal.js';
import { isObject } from './transcript.js';

/** A line qmp-shell refuses ("Error while parsing command line: …"); nothing is sent. */
export class ShellError extends Error {}

/** qmp-shell's tokens: runs of non-blanks, where a quoted part may hold blanks. */
const ARGUMENT = /(?:[^\s"']|"(?:\\.|[^"])*"|'(?:\\.|[^'])*')+/g;
const PYTHON_INT = /^[+-]?\d+(_\d+)*$/;

export interface ShellCommand {
  readonly execute: string;
  readonly arguments: Record<string, unknown>;
}

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export function shellValue(text: string): unknown {
  if (PYTHON_INT.test(text)) return Number(text.replaceAll('_', ''));
  if (text.toLowerCase() === 'true') return true;
  if (text.toLowerCase() === 'false') return false;
  if (text.startsWith('{') || text.startsWith('[')) {
    try {
      return parseLiteral(text, { python: true });
    } catch (error) {
      if (!(error instanceof LiteralError)) throw error;
    }
  }
  return text;
}

/** `key=value` tokens into `parent`, dotted keys as nested objects. */
function addArguments(tokens: readonly string[], parent: Record<string, unknown>): void {
  for (const token of tokens) {
    const at = token.indexOf('=');
    if (at < 0) throw new ShellError(`Expected a key=value pair, got '${token}'`);
    const key = token.slice(0, at);
    const path = key.split('.');
    let target = parent;
    path.slice(0, -1).forEach((part, i) => {
      const inner = Object.hasOwn(target, part) ? target[part] : {};
      if (!isObject(inner)) throw new ShellError(`Cannot use "${path.slice(0, i + 1).join('.')}" as both leaf and non-leaf key`);
      setOwn(target, part, inner);
      target = inner;
    });
    const leaf = path[path.length - 1]!;
    if (Object.hasOwn(target, leaf)) {
      if (isObject(target[leaf])) throw new ShellError(`Cannot use "${path.slice(0, -1).join('.')}" as both leaf and non-leaf key`);
      throw new ShellError(`Cannot set "${key}" multiple times`);
    }
    setOwn(target, leaf, shellValue(token.slice(at + 1)));
  }
}

/** The commands a session's typed lines make, transaction state and all. */
export class ShellCommands {
  private actions: Record<string, unknown>[] | null = null;

  get inTransaction(): boolean {
    return this.actions !== null;
  }

  /** The command a typed line sends, or null (nothing typed, or a transaction action kept for later). */
  build(line: string): ShellCommand | null {
    const tokens = line.match(ARGUMENT) ?? [];
    if (tokens[0] === 'transaction(') {
      this.actions = [];
      tokens.shift();
    }
    if (tokens[0] === ')' && this.actions) {
      const actions = this.actions;
      this.actions = null;
      if (tokens.length > 1) throw new ShellError('Unexpected input after close of Transaction sub-shell');
      return { execute: 'transaction', arguments: { actions } };
    }
    if (tokens.length === 0) return null;
    const args: Record<string, unknown> = {};
    if (!this.actions) {
      addArguments(tokens.slice(1), args);
      return { execute: tokens[0]!, arguments: args };
    }
    const finalize = tokens.length > 1 && tokens[tokens.length - 1] === ')';
    addArguments(tokens.slice(1, finalize ? -1 : undefined), args);
    this.actions.push({ type: tokens[0]!, data: args });
    return finalize ? this.build(')') : null;
  }
}
