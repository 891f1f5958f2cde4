/**
 * The scenario steps a transcript makes, and the shapes the import writes. A command becomes an
 * `execute` step without its id, its reply kept as `expect`: the return value as it came (a
 * query's only as success: its body holds facts of the disk, such as sizes on disk and cluster
 * sizes, that no scenario declares), an error by its class and desc. `qmp_capabilities` is left
 * out. The events that came between two commands become wait steps (events.ts).
 */
import type { CommandMessage, EventMessage, Message, ReplyMessage, ReplyValue, Transcript } from './transcript.js';
import { eventSteps, JobTracker } from './events.js';

export type ImportedExpect = { ok: true } | { return: unknown } | { class: string; desc: string };

export interface ExecuteStep {
  execute: string;
  arguments?: Record<string, unknown>;
  expect?: ImportedExpect;
  note?: string;
  /** false: `permgraph diff` does not observe the daemon after it (a job of it is still ending). */
  observe?: false;
}

export type ImportedStep =
  | ExecuteStep
  | { 'wait-job': string; status: string[]; note?: string }
  | { 'wait-event': string; data?: Record<string, unknown>; note?: string };

/** A command and the reply it got, if the transcript shows one. */
export interface Exchange {
  readonly command: CommandMessage;
  reply?: ReplyValue;
  readonly replyLine?: number;
}

export interface BuiltSteps {
  readonly steps: readonly ImportedStep[];
  readonly exchanges: readonly Exchange[];
  readonly notes: readonly string[];
  readonly counts: { commands: number; capabilities: number; replies: number; events: number; waits: number };
}

const QUERY = /^(x-[a-z]+-)?query-/;
/** Statuses a job reaches by itself as the clock runs (not in the command that moved it). */
const ENDING = new Set(['waiting', 'pending', 'aborting', 'concluded', 'null', 'ready']);

export const isQuery = (execute: string): boolean => QUERY.test(execute);

function expectOf(execute: string, reply: ReplyValue): ImportedExpect {
  if ('error' in reply) return { class: reply.error.class, desc: reply.error.desc };
  return isQuery(execute) ? { ok: true } : { return: reply.return };
}

function replyNote(line: number, reply: ReplyValue, execute: string): string {
  if (!('return' in reply) || !isQuery(execute)) return `line ${line}`;
  const body = Array.isArray(reply.return) ? `${reply.return.length} ${reply.return.length === 1 ? 'entry' : 'entries'}` : 'a body';
  return `line ${line}; QEMU returned ${body}, not compared (a query's reply)`;
}

const sameId = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

class Builder {
  readonly steps: ImportedStep[] = [];
  readonly exchanges: Exchange[] = [];
  readonly notes: string[] = [];
  readonly counts = { commands: 0, capabilities: 0, replies: 0, events: 0, waits: 0 };
  private readonly open: { exchange: Exchange; step: ExecuteStep | null }[] = [];
  private run: EventMessage[] = [];
  private last: ExecuteStep | null = null;
  readonly jobs = new JobTracker();
  private strays = 0;

  command(message: CommandMessage): void {
    this.flush();
    const exchange: Exchange = { command: message };
    this.exchanges.push(exchange);
    let step: ExecuteStep | null = null;
    if (message.execute === 'qmp_capabilities') this.counts.capabilities++;
    else {
      const args = message.arguments && Object.keys(message.arguments).length ? { arguments: message.arguments } : {};
      step = { execute: message.execute, ...args, note: `line ${message.line}` };
      this.steps.push(step);
      this.counts.commands++;
      this.last = step;
    }
    this.open.push({ exchange, step });
  }

  reply(message: ReplyMessage): void {
    const byId = message.id !== undefined && this.open.some((o) => o.exchange.command.id !== undefined);
    const at = byId ? this.open.findIndex((o) => sameId(o.exchange.command.id, message.id)) : this.open.length ? 0 : -1;
    if (at < 0) {
      if (this.strays++ === 0) this.notes.push(`line ${message.line}: a reply to no command in the transcript (sent before it begins?): left out`);
      return;
    }
    const [{ exchange, step }] = this.open.splice(0, at + 1).slice(-1) as [(typeof this.open)[number]];
    exchange.reply = message.reply;
    if (!step) return;
    delete step.note; // written after the expect
    step.expect = expectOf(step.execute, message.reply);
    step.note = replyNote(exchange.command.line, message.reply, step.execute);
    this.counts.replies++;
  }

  event(message: EventMessage): void {
    this.run.push(message);
    this.counts.events++;
  }

  /**
   * The events since the last command, as wait steps. A job that went on to end (or be ready)
   * after the command did so on the daemon's clock, within moments: `permgraph diff` would see it
   * half-way, so the command's step is not observed.
   */
  flush(): void {
    if (this.run.length && this.counts.commands === 0) {
      this.notes.push(`line ${this.run[0]!.line}: ${this.run.length} event${this.run.length > 1 ? 's' : ''} before the first command, which no command of the transcript caused: left out`);
      this.run = [];
    }
    const moved = this.run.some((e) => e.event === 'JOB_STATUS_CHANGE' && ENDING.has(String(e.data['status'])));
    if (moved && this.last) this.last.observe = false;
    const waits = eventSteps(this.run, this.jobs);
    this.steps.push(...waits);
    this.counts.waits += waits.length;
    this.run = [];
  }
}

export function buildSteps(transcript: Transcript): BuiltSteps {
  const builder = new Builder();
  const handle = (message: Message): void => {
    if (message.kind === 'command') builder.command(message);
    else if (message.kind === 'reply') builder.reply(message);
    else builder.event(message);
  };
  transcript.messages.forEach(handle);
  builder.flush();
  const { steps, exchanges, counts } = builder;
  return { steps, exchanges, counts, notes: [...builder.notes, ...builder.jobs.notes()] };
}
