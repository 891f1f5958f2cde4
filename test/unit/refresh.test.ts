/** The refresh: parents before children, and only where inputs changed. */
import { describe, expect, it } from 'vitest';
import { createNodeStepper } from '../../src/runtime/node-stepper.js';
import { openBlockdev } from '../../src/core/open.js';
import { transact } from '../../src/core/tx.js';
import type { TxEnv } from '../../src/core/tx-state.js';
import { insertBackend } from '../../src/core/backends.js';
import { emptyGraph, getNode } from '../../src/graph/graph.js';
import type { Graph } from '../../src/graph/types.js';
import { Perm, PERM_ALL } from '../../src/perms/perm.js';
import { createVirtualStorage } from '../../src/storage/virtual-storage.js';

const LENGTH = 300;
const files = Object.fromEntries(Array.from({ length: LENGTH }, (_, i) => [`/c/${i}.qcow2`, { format: 'qcow2' as const }]));
const env: TxEnv = { storage: createVirtualStorage(files), stepper: createNodeStepper() };
const owned = { monitorOwned: true, inheritsFrom: null, inherited: { readOnly: false } };

/** A backing chain n0 <- n1 <- … of qcow2 nodes with inline files, the top read-write. */
function chain(): Graph {
  let graph = emptyGraph('qemu-7.2');
  for (let i = 0; i < LENGTH; i++) {
    graph = transact(graph, env, (tx) => {
      openBlockdev(tx, {
        driver: 'qcow2',
        'node-name': `n${i}`,
        'read-only': i < LENGTH - 1,
        backing: i === 0 ? null : `n${i - 1}`,
        file: { driver: 'file', 'node-name': `f${i}`, filename: `/c/${i}.qcow2` },
      }, owned);
    }).graph;
  }
  return graph;
}

describe('incremental refresh', () => {
  const base = chain();
  const top = `n${LENGTH - 1}`;

  it('keeps heights: a parent stands above its children', () => {
    expect(getNode(base, top)?.height).toBe(LENGTH);
    expect(getNode(base, 'n0')?.height).toBe(1);
    expect(getNode(base, 'f0')?.height).toBe(0);
  });

  it('a first reader flows consistent read down the whole chain, parents first', () => {
    const { refreshed } = transact(base, env, (tx) => {
      insertBackend(tx, { kind: 'export', id: 'r' }, top, Perm.CONSISTENT_READ, PERM_ALL);
    });
    expect(refreshed.length).toBe(LENGTH);
    expect(refreshed.slice(0, 3)).toEqual([top, `n${LENGTH - 2}`, `n${LENGTH - 3}`]);
  });

  it('a second user at the top touches only the top and its file', () => {
    const reading = transact(base, env, (tx) => {
      insertBackend(tx, { kind: 'export', id: 'r' }, top, Perm.CONSISTENT_READ, PERM_ALL);
    }).graph;
    const { refreshed, graph } = transact(reading, env, (tx) => {
      insertBackend(tx, { kind: 'export', id: 'w' }, top, Perm.CONSISTENT_READ | Perm.WRITE, PERM_ALL & ~Perm.RESIZE);
    });
    expect(refreshed).toEqual([top]);
    expect(getNode(graph, 'n0')).toBe(getNode(reading, 'n0'));
  });
});
