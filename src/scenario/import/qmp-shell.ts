/**
 * A qmp-shell session as its terminal shows it: the banner, `(QEMU) ` and `TRANS> ` prompts with
 * the lines typed at them, each reply as qmp-shell prints it (JSON; pretty over several lines
 * with -p), the command echoed as JSON before it with -v, and after an empty line the events it
 * had received, printed as Python dicts. With -v the echo is what was sent; without it the typed
 * line is read as qmp-shell reads it (shell-command.ts).
 */
import { Balance, LiteralError, readLiteral } from './literal.js';
import { ShellCommands, ShellError } from './shell-command.js';
import { classify, lineError, snippet, type Message, type Transcript } from './transcript.js';

const PROMPT = /^(\(QEMU\)|TRANS>)(?: (.*))?$/;
const CONNECTED = /^Connected(?: to QEMU (\d+\.\d+\.\d+))?$/;
/** Lines qmp-shell prints that carry nothing to import. */
const CHATTER = [
  /^Welcome to the QMP low-level shell!$/,
  /^Error while parsing command line: /,
  /^command format: <command-name> /,
  /^\$ .*qmp-shell/,
];

interface Session {
  readonly file: string;
  readonly messages: Message[];
  readonly notes: string[];
  readonly shell: ShellCommands;
  /** The command typed last, while no reply has come: a -v echo replaces it. */
  typed: number | null;
}

function promptLine(session: Session, typed: string, line: number): void {
  if (typed.trim() === '') return; // an empty line: the events qmp-shell had received follow
  try {
    const command = session.shell.build(typed);
    if (!command) return;
    const args = Object.keys(command.arguments).length ? { arguments: command.arguments } : {};
    session.messages.push({ kind: 'command', line, execute: command.execute, ...args });
    session.typed = session.messages.length - 1;
  } catch (error) {
    if (!(error instanceof ShellError)) throw error;
    session.notes.push(`line ${line}: qmp-shell refuses '${snippet(typed)}' (${error.message}): nothing was sent`);
  }
}

/** A printed value (maybe over several lines) from line `first` on; the index of its last line. */
function printedValue(session: Session, lines: readonly string[], first: number): number {
  let text = lines[first]!;
  const balance = new Balance();
  balance.feed(text);
  let last = first;
  while (!balance.closed && last + 1 < lines.length) {
    text += `\n${lines[++last]!}`;
    balance.feed(lines[last]!);
  }
  let value: unknown;
  try {
    const read = readLiteral(text, 0, { python: true });
    if (text.slice(read.end).trim() !== '') throw new LiteralError('unexpected text after the value', read.end, false);
    value = read.value;
  } catch (error) {
    if (!(error instanceof LiteralError)) throw error;
    throw lineError(session.file, first + 1, `not a value qmp-shell prints: ${error.message}`);
  }
  const read = classify(value, session.file, first + 1);
  const echo = read[0]?.kind === 'command' && read.length === 1 && session.typed === session.messages.length - 1;
  if (echo) session.messages[session.typed!] = { ...read[0]!, line: session.messages[session.typed!]!.line };
  else session.messages.push(...read);
  if (read.some((m) => m.kind === 'reply')) session.typed = null;
  return last;
}

export function readQmpShellSession(text: string, file: string): Transcript {
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
  const session: Session = { file, messages: [], notes: [], shell: new ShellCommands(), typed: null };
  let version: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const prompt = PROMPT.exec(line);
    const connected = CONNECTED.exec(line);
    if (prompt) promptLine(session, prompt[2] ?? '', i + 1);
    else if (/^\s*[[{]/.test(line)) i = printedValue(session, lines, i);
    else if (connected) version = connected[1] ?? version;
    else if (line === 'Disconnected') break;
    else if (/^Welcome to the HMP shell!$/.test(line)) throw lineError(file, i + 1, 'an HMP session (qmp-shell -H): human monitor commands, not QMP');
    else if (line.trim() !== '' && !CHATTER.some((re) => re.test(line))) {
      throw lineError(file, i + 1, `not a line of a qmp-shell session: '${snippet(line)}'`);
    }
  }
  if (session.shell.inTransaction) session.notes.push('the session ends inside a transaction( … ): it was never sent');
  return {
    kind: 'qmp-shell',
    how: 'a qmp-shell session (typed commands, their replies, the events printed after an empty line)',
    messages: session.messages,
    notes: session.notes,
    ...(version ? { version } : {}),
  };
}
