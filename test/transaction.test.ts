/**
 * transaction and the snapshot commands where the corpus cannot show it: the overlay of
 * blockdev-snapshot-sync is let go only after every action (a backup in the same transaction keeps
 * it; QEMU 7.2 and 10.0 then die when that job ends, so no recording has it), a refused
 * transaction keeps the snapshot it started from and publishes nothing, a backup done at once
 * ends only once the transaction is over (corpus: transaction-backup-runs-after), and the actions are
 * looked up by name when first checked (an action whose command is missing is no TransactionActionKind).
 */
import { describe, expect, it } from 'vitest';
import { createPermgraph, createVirtualStorage, type Permgraph } from '../src/index.js';
import { getNode } from '../src/graph/graph.js';
import { transactionCommand } from '../src/commands/transaction.js';
import { commandNamed } from '../src/commands/registry.js';
import type { Command } from '../src/commands/command.js';

// a's first 128 KiB hold data: a backup of its overlay has more than its first task to copy, so it keeps running
const files = {
  '/i/a.qcow2': { format: 'qcow2' as const, size: 1 << 20, clusters: [0, 1] },
  '/i/t.qcow2': { format: 'qcow2' as const, size: 1 << 20 },
};

function graph(model: 'qemu-7.2' | 'qemu-10.0'): Permgraph {
  const pg = createPermgraph({ model, storage: createVirtualStorage(files), nodeActors: false });
  for (const name of ['a', 't']) {
    const added = pg.execute({ execute: 'blockdev-add', arguments: { driver: 'qcow2', 'node-name': name, file: { driver: 'file', filename: `/i/${name}.qcow2` } } });
    expect(added).toEqual({ return: {} });
  }
  return pg;
}

const snapshotSync = { 'node-name': 'a', 'snapshot-file': '/i/s.qcow2', 'snapshot-node-name': 's' };
const backup = { device: 's', target: 't', sync: 'full', 'job-id': 'j', speed: 1 };

describe('transaction', () => {
  for (const model of ['qemu-7.2', 'qemu-10.0'] as const) {
    it(`${model}: an overlay nothing holds is closed by blockdev-snapshot-sync, but a backup of it in the same transaction keeps it`, () => {
      const alone = graph(model);
      expect(alone.execute({ execute: 'blockdev-snapshot-sync', arguments: snapshotSync })).toEqual({ return: {} });
      expect(getNode(alone.graph, 's')).toBeUndefined();
      const together = graph(model);
      const actions = [{ type: 'blockdev-snapshot-sync', data: snapshotSync }, { type: 'blockdev-backup', data: backup }];
      expect(together.execute({ execute: 'transaction', arguments: { actions } })).toEqual({ return: {} });
      expect(getNode(together.graph, 's')?.parents.length).toBe(1);
      expect(Object.keys(together.graph.jobs)).toEqual(['j']);
    });

    it(`${model}: a refused action keeps the snapshot the transaction started from and publishes only the refusal`, () => {
      const pg = graph(model);
      const before = pg.graph;
      const seen: string[] = [];
      const subscription = pg.events$.subscribe((e) => seen.push(e.type));
      const actions = [{ type: 'blockdev-snapshot-sync', data: snapshotSync }, { type: 'blockdev-backup', data: backup }, { type: 'abort', data: {} }];
      const reply = pg.execute({ execute: 'transaction', arguments: { actions } });
      subscription.unsubscribe();
      expect(reply).toEqual({ error: { class: 'GenericError', desc: 'Transaction aborted using Abort action' } });
      expect(pg.graph).toBe(before);
      expect(seen).toEqual(['command.rejected']);
    });

    it(`${model}: a backup done at once ends only after the transaction, its filter above the node for the actions after it`, () => {
      // t is empty: a backup of it is one run, its first task
      const done = { device: 't', target: 'a', sync: 'full', 'job-id': 'd', speed: 1 };
      const pg = graph(model);
      const internal = { type: 'blockdev-snapshot-internal-sync', data: { device: 't', name: '' } };
      const refused = pg.execute({ execute: 'transaction', arguments: { actions: [{ type: 'blockdev-backup', data: done }, internal] } });
      expect(refused).toEqual({ error: { class: 'GenericError', desc: 'Need a root block node' } });
      expect(pg.execute({ execute: 'blockdev-backup', arguments: done })).toEqual({ return: {} });
      expect(Object.keys(pg.graph.jobs)).toEqual([]);
      expect(pg.execute({ execute: 'transaction', arguments: { actions: [{ type: 'blockdev-backup', data: done }] } })).toEqual({ return: {} });
      expect(Object.keys(pg.graph.jobs)).toEqual([]);
    });
  }

  it('finds its actions when the arguments are first checked: a command that comes later is an action', () => {
    const known = new Map<string, Command>();
    const lookup = (name: string): Command | undefined => known.get(name) ?? commandNamed(name);
    const transaction = transactionCommand(lookup);
    known.set('block-dirty-bitmap-add', { run: (g) => ({ graph: g, events: [], reply: {} }) });
    const pg = graph('qemu-7.2');
    const env = { storage: createVirtualStorage(files), stepper: undefined as never };
    const run = transaction.run(pg.graph, { actions: [{ type: 'block-dirty-bitmap-add', data: {} }] }, env);
    expect(run.reply).toEqual({});
    const schema = transaction.args!;
    expect(schema.kind === 'struct' && schema.members[0]!.type.kind === 'list' && schema.members[0]!.type.of.kind === 'union' ? Object.keys(schema.members[0]!.type.of.variants) : []).toContain('block-dirty-bitmap-add');
  });

  it('answers an action whose command is missing as a QEMU without that action', () => {
    const pg = graph('qemu-7.2');
    const actions = [{ type: 'block-dirty-bitmap-add', data: { node: 'a', name: 'b0' } }];
    const reply = pg.execute({ execute: 'transaction', arguments: { actions } });
    if (commandNamed('block-dirty-bitmap-add')) expect(reply).toEqual({ return: {} });
    else expect(reply).toEqual({ error: { class: 'GenericError', desc: "Parameter 'type' does not accept value 'block-dirty-bitmap-add'" } });
  });
});
