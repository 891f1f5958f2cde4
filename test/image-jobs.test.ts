/**
 * blockdev-create and x-blockdev-amend: what the differential replay does not compare. The jobs'
 * errors in query-jobs (the corpus's create-… and amend-… recordings, QEMU 7.2 and 10.0), the
 * events before and after the reply, and the header a created qcow2 image has.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../src/cli/run-command.js';
import { createPermgraph, createVirtualStorage, eventPhase, type GraphEvent } from '../src/index.js';

const CORPUS = 'test/fixtures/corpus';
const SCENARIOS = ['create-file', 'create-qcow2', 'amend-qcow2'];
const MODELS = [
  ['qemu-7.2', 'trace.json'],
  ['qemu-10.0', 'qemu-10.0.trace.json'],
] as const;

type Step = { readonly execute?: string; readonly return?: unknown };

/** The returns of query-jobs, in order, with the scratch directory written $W. */
function queryJobs(steps: readonly Step[], workdir: string): string[] {
  return steps.filter((s) => s.execute === 'query-jobs').map((s) => JSON.stringify(s.return).split(workdir).join('$W'));
}

describe("the jobs' errors in query-jobs, as the daemons gave them", () => {
  for (const name of SCENARIOS) {
    for (const [model, suffix] of MODELS) {
      it(`${name} (${model})`, () => {
        const trace = JSON.parse(readFileSync(`${CORPUS}/${name}.${suffix}`, 'utf8')) as { workdir: string; steps: Step[] };
        let out = '';
        runCommand(`${CORPUS}/${name}.json`, { model, format: 'json', storage: 'virtual' }, (text) => (out += text));
        const run = JSON.parse(out) as { steps: { step: Step; reply?: { return?: unknown } }[] };
        const mine = run.steps.map((s) => ({ ...s.step, return: s.reply?.return }));
        const expected = queryJobs(trace.steps, trace.workdir).map((r) => JSON.parse(r) as unknown);
        const found = queryJobs(mine, `/scenario/${name}`).map((r) => JSON.parse(r) as unknown);
        expect(expected.some((jobs) => JSON.stringify(jobs).includes('"error"'))).toBe(true);
        expect(found).toEqual(expected);
      });
    }
  }
});

describe('blockdev-create', () => {
  const session = () => {
    const storage = createVirtualStorage({ '/i/a.img': { format: 'raw', size: 0 } });
    const pg = createPermgraph({ model: 'qemu-7.2', storage, nodeActors: false });
    const events: GraphEvent[] = [];
    pg.events$.subscribe((e) => events.push(e));
    return { pg, storage, events };
  };
  const statuses = (events: readonly GraphEvent[], phase: 'sync' | 'deferred') =>
    events.filter((e) => e.type === 'qmp.event' && eventPhase(e) === phase).map((e) => (e.type === 'qmp.event' ? (e.data as { status: string }).status : ''));

  it('starts its job before the reply and ends it after: waiting, pending, concluded; aborting, concluded when it fails', () => {
    const { pg, events } = session();
    pg.execute({ execute: 'blockdev-add', arguments: { driver: 'file', 'node-name': 'f0', filename: '/i/a.img' } });
    events.length = 0;
    expect(pg.execute({ execute: 'blockdev-create', arguments: { 'job-id': 'j1', options: { driver: 'qcow2', file: 'f0', size: 1048576 } } })).toEqual({ return: {} });
    expect([statuses(events, 'sync'), statuses(events, 'deferred')]).toEqual([['created', 'running'], ['waiting', 'pending', 'concluded']]);
    events.length = 0;
    pg.execute({ execute: 'blockdev-create', arguments: { 'job-id': 'j2', options: { driver: 'qcow2', file: 'f0', size: 1000 } } });
    expect([statuses(events, 'sync'), statuses(events, 'deferred')]).toEqual([['created', 'running'], ['aborting', 'concluded']]);
    expect(events.some((e) => e.type === 'qmp.event' && e.event.startsWith('BLOCK_JOB'))).toBe(false);
  });

  it('writes a qcow2 header with the size and backing file asked; the graph keeps its shape, the file node grows to the file', () => {
    const { pg, storage } = session();
    pg.execute({ execute: 'blockdev-add', arguments: { driver: 'file', 'node-name': 'f0', filename: '/i/a.img' } });
    const before = pg.graph;
    pg.execute({ execute: 'blockdev-create', arguments: { 'job-id': 'j1', options: { driver: 'qcow2', file: 'f0', size: 2097152, 'backing-file': '/i/b.img', 'backing-fmt': 'raw' } } });
    expect(storage.inspect('/i/a.img')).toMatchObject({ header: { format: 'qcow2', virtualSize: 2097152, backingFile: '/i/b.img', backingFormat: 'raw' } });
    expect(pg.graph.edges).toBe(before.edges);
    const f0 = pg.execute({ execute: 'query-named-block-nodes' }) as { return: { 'node-name': string; image: { 'virtual-size': number } }[] };
    expect(f0.return.map((n) => [n['node-name'], n.image['virtual-size']])).toEqual([['f0', 197120]]);
  });

  it('refuses what it does not simulate, in its own words', () => {
    const { pg } = session();
    const reply = pg.execute({ execute: 'blockdev-create', arguments: { 'job-id': 'j1', options: { driver: 'vdi', file: 'f', size: 1048576 } } });
    expect(reply).toEqual({ error: { class: 'GenericError', desc: expect.stringContaining("blockdev-create of driver 'vdi' is not simulated") } });
    expect(pg.graph.jobs).toEqual({});
  });
});
