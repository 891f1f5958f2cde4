/** What every command handler is: a pure function from a snapshot and arguments to a result. */
import type { GraphEvent } from '../core/events.js';
import type { TxEnv } from '../core/tx-state.js';
import type { Graph } from '../graph/types.js';
import type { QapiType } from '../qapi/schema.js';

export interface CommandResult {
  readonly graph: Graph;
  readonly events: readonly GraphEvent[];
  readonly reply: unknown;
}

export type CommandArgs = Readonly<Record<string, unknown>>;

export interface Command {
  /** The arguments' QAPI type (checked before the handler runs); none = no arguments. */
  readonly args?: QapiType;
  /** The QEMU release that added it (major * 100 + minor); a model of an older one does not know it. */
  readonly since?: number;
  /** Only QEMU's system emulator has it (guest devices): a model of qemu-storage-daemon does not know it. */
  readonly systemEmulatorOnly?: boolean;
  run(graph: Graph, args: CommandArgs, env: TxEnv): CommandResult;
  /**
   * As an action of `transaction`: run() without its last step, and that step (QEMU's .clean),
   * which the transaction runs only once every action was prepared and committed.
   */
  readonly action?: {
    prepare(graph: Graph, args: CommandArgs, env: TxEnv): CommandResult;
    clean(graph: Graph, args: CommandArgs, env: TxEnv): CommandResult;
  };
  /**
   * As an action of `transaction` that a later action's failure undoes: what its .abort still
   * leaves on `graph`, the snapshot before the transaction (an internal snapshot taken and deleted
   * again wrote its image); absent: nothing.
   */
  readonly undoneResidue?: (graph: Graph, args: CommandArgs, env: TxEnv) => Graph;
}

/** A command that only reads. */
export const query = (args: QapiType | undefined, answer: (graph: Graph, args: CommandArgs) => unknown): Command => ({
  ...(args ? { args } : {}),
  run: (graph, a) => ({ graph, events: [], reply: answer(graph, a) }),
});
