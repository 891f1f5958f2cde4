/**
 * Which events a job command sends before its reply and which after it, against what
 * qemu-storage-daemon 7.2 did (test/fixtures/job-event-timing.json, recorded by
 * test/support/record-job-event-timing.py): every job command in every status that accepts it,
 * with and without auto-finalize and auto-dismiss.
 *
 * permgraph runs each case as the daemon did: the job brought to the case's status, then the
 * command; its `sync` events are "before", its `deferred` events and those of the main loop's
 * next turn (the clock advanced by nothing: a job at speed 0 runs to its end) "after".
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createPermgraph, createVirtualStorage, eventPhase, splitAtReply, type GraphEvent, type Permgraph, type QmpReply } from '../src/index.js';

interface QmpEvent {
  readonly event: string;
  readonly data: Readonly<Record<string, unknown>>;
}

interface Command {
  readonly execute: string;
  readonly arguments?: Readonly<Record<string, unknown>>;
}

interface TimingCase {
  readonly kind: string;
  readonly state: string;
  readonly note?: string;
  readonly start: Command;
  readonly prep: readonly Command[];
  /** null: the start command is what is observed. */
  readonly probe: Command | null;
  readonly reply: QmpReply;
  readonly before: readonly QmpEvent[];
  readonly after: readonly QmpEvent[];
  readonly 'jobs-after'?: readonly { readonly status: string }[];
}

interface Fixture {
  readonly qemu: string;
  readonly images: { readonly size: number; readonly 'top-data': number };
  readonly nodes: readonly Readonly<Record<string, unknown>>[];
  readonly cases: readonly TimingCase[];
}

const FIXTURE = new URL('./fixtures/job-event-timing.json', import.meta.url);
const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Fixture;
const W = '/w';

const substitute = <T>(value: T): T => JSON.parse(JSON.stringify(value).replaceAll('$W', W)) as T;

/** An event as compared: its name, and for JOB_STATUS_CHANGE the status it announces. */
const label = (e: QmpEvent): string => (e.event === 'JOB_STATUS_CHANGE' ? `${String(e.data['status'])}` : e.event);

/** The data compared exactly; len and offset depend on how much the daemon had copied (only their kind is). */
function comparable(e: QmpEvent): Record<string, unknown> {
  const { len, offset, ...rest } = e.data;
  return { event: e.event, ...rest, ...(len !== undefined ? { len: Number.isInteger(len) } : {}), ...(offset !== undefined ? { offset: Number.isInteger(offset) } : {}) };
}

function title(c: TimingCase): string {
  const command = c.probe ?? c.start;
  const args = Object.entries(command.arguments ?? {})
    .filter(([k]) => !['id', 'device', 'job-id', 'target', 'top-node', 'base-node', 'sync', 'format'].includes(k))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  const start = c.start.arguments ?? {};
  const flags = ['auto-finalize', 'auto-dismiss'].filter((k) => start[k] === false).map((k) => `${k}=off`);
  return `${c.kind} ${c.state}${c.note ? ` (${c.note})` : ''}: ${[command.execute, ...args].join(' ')} [${flags.join(' ') || 'auto'}]`;
}

/** The data clusters a write of `bytes` from offset 0 allocates (64 KiB clusters). */
const written = (bytes: number): number[] => Array.from({ length: Math.ceil(bytes / 65536) }, (_, i) => i);

function setup(): Permgraph {
  const size = fixture.images.size;
  const pg = createPermgraph({
    model: 'qemu-7.2',
    nodeActors: false,
    storage: createVirtualStorage({
      // the data the recording wrote with qemu-io: base and mid whole, top its first top-data bytes
      [`${W}/base.qcow2`]: { format: 'qcow2', size, clusters: written(size) },
      [`${W}/mid.qcow2`]: { format: 'qcow2', size, backingFile: `${W}/base.qcow2`, clusters: written(size) },
      [`${W}/top.qcow2`]: { format: 'qcow2', size, backingFile: `${W}/mid.qcow2`, clusters: written(fixture.images['top-data']) },
      [`${W}/tgt.qcow2`]: { format: 'qcow2', size },
    }),
  });
  for (const node of substitute(fixture.nodes)) expect(pg.execute({ execute: 'blockdev-add', arguments: node })).toEqual({ return: {} });
  return pg;
}

const status = (pg: Permgraph): string => pg.graph.jobs['j']?.status ?? 'absent';

/** The clock moved on deadline by deadline until the job has one of the statuses. */
function waitFor(pg: Permgraph, wanted: readonly string[]): void {
  for (let i = 0; i < 100 && !wanted.includes(status(pg)); i++) {
    const deadline = pg.nextJobDeadline();
    if (deadline === Infinity) break;
    pg.advance(deadline);
  }
}

const FIRST: Readonly<Record<string, readonly string[]>> = {
  running: ['running'],
  paused: ['running'],
  ready: ['ready'],
  standby: ['ready'],
  pending: ['ready', 'pending'],
  concluded: ['ready', 'pending', 'concluded'],
};

/** What permgraph does in the daemon's place: the reply, the events before it and after it. */
function play(c: TimingCase): { reply: QmpReply; before: QmpEvent[]; after: QmpEvent[]; jobs: string[] } {
  const pg = setup();
  const events: GraphEvent[] = [];
  pg.events$.subscribe((e) => events.push(e));
  const run = (command: Command): QmpReply => pg.execute({ execute: command.execute, ...(command.arguments ? { arguments: substitute(command.arguments) } : {}) });
  let probe = c.start;
  if (c.probe) {
    expect(run(c.start), title(c)).toEqual({ return: {} });
    waitFor(pg, FIRST[c.state]!);
    for (const step of c.prep) expect(run(step), JSON.stringify(step)).toEqual({ return: {} });
    expect(status(pg), 'the job before the command').toBe(c.state);
    probe = c.probe;
  }
  events.length = 0;
  const reply = run(probe);
  const { beforeReply, afterReply } = splitAtReply(events);
  // the order events$ delivers them in: every sync event before every deferred one
  expect(events.map(eventPhase)).toEqual([...beforeReply.map(() => 'sync'), ...afterReply.map(() => 'deferred')]);
  events.length = 0;
  pg.advance(0);
  const qmp = (list: readonly GraphEvent[]): QmpEvent[] => list.flatMap((e) => (e.type === 'qmp.event' ? [{ event: e.event, data: e.data }] : []));
  const jobs = (pg.execute({ execute: 'query-jobs' }) as { return: { status: string }[] }).return.map((j) => j.status);
  return { reply, before: qmp(beforeReply), after: [...qmp(afterReply), ...qmp(events)], jobs };
}

describe(`job events around the reply, as ${fixture.qemu} sends them`, () => {
  it('the recording covers every job command', () => {
    const commands = new Set(fixture.cases.map((c) => (c.probe ?? c.start).execute));
    for (const name of [
      'job-pause', 'job-resume', 'job-cancel', 'job-complete', 'job-finalize', 'job-dismiss',
      'block-job-pause', 'block-job-resume', 'block-job-cancel', 'block-job-complete', 'block-job-finalize', 'block-job-dismiss', 'block-job-set-speed',
      'blockdev-mirror', 'drive-mirror', 'block-commit', 'block-stream', 'blockdev-backup', 'drive-backup',
    ]) {
      expect(commands, name).toContain(name);
    }
  });

  it.each(fixture.cases.map((c) => [title(c), c] as const))('%s', (_title, c) => {
    const got = play(c);
    expect(got.reply).toEqual(c.reply);
    expect({ before: got.before.map(label), after: got.after.map(label) }).toEqual({ before: c.before.map(label), after: c.after.map(label) });
    expect(got.before.map(comparable)).toEqual(c.before.map(comparable));
    expect(got.after.map(comparable)).toEqual(c.after.map(comparable));
    if (c['jobs-after']) expect(got.jobs).toEqual(c['jobs-after'].map((j) => j.status));
  });
});
