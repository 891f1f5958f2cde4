/**
 * bdrv_get_cumulative_perm() (spec §3.4): P(N) is the OR of the parents' perm, S(N) the AND of
 * their shared, ALL when N has no parent; a monitor reference (blockdev-add) is not a parent.
 */
import { describe, expect, it } from 'vitest';
import { cumulativePerm, type PermPair } from '../../src/perms/cumulative.js';
import { createPermgraph, createVirtualStorage, xdbgBlockGraph } from '../../src/index.js';

const CR = 1, W = 2, WU = 4, RS = 8, ALL = 15;

describe('cumulativePerm', () => {
  it('with no parent: takes nothing and shares everything', () => {
    expect(cumulativePerm([])).toEqual({ perm: 0, shared: ALL });
  });

  it('with one parent: that parent', () => {
    for (let perm = 0; perm < 16; perm++) {
      for (let shared = 0; shared < 16; shared++) expect(cumulativePerm([{ perm, shared }])).toEqual({ perm, shared });
    }
  });

  it('with two parents: OR of perm, AND of shared, for every one of the 16^4 pairs', () => {
    for (let p1 = 0; p1 < 16; p1++) {
      for (let s1 = 0; s1 < 16; s1++) {
        for (let p2 = 0; p2 < 16; p2++) {
          for (let s2 = 0; s2 < 16; s2++) {
            const got = cumulativePerm([{ perm: p1, shared: s1 }, { perm: p2, shared: s2 }]);
            if (got.perm !== (p1 | p2) || got.shared !== (s1 & s2)) {
              expect(got, `${p1}/${s1} + ${p2}/${s2}`).toEqual({ perm: p1 | p2, shared: s1 & s2 });
            }
          }
        }
      }
    }
  });

  it('does not depend on the order of the parents, and takes any iterable', () => {
    const parents: PermPair[] = [
      { perm: CR | W, shared: CR | W | WU },
      { perm: CR, shared: ALL & ~RS },
      { perm: 0, shared: W | WU },
    ];
    const expected = { perm: CR | W, shared: W | WU };
    expect(cumulativePerm(parents)).toEqual(expected);
    expect(cumulativePerm([...parents].reverse())).toEqual(expected);
    function* generate() {
      yield* parents;
    }
    expect(cumulativePerm(generate())).toEqual(expected);
  });
});

describe('cumulative perm in a graph, seen through a raw node (whose file edge passes it on)', () => {
  const storage = () => createVirtualStorage({ '/i/a.qcow2': { format: 'qcow2', size: 1 << 20 } });

  function fileEdge(commands: [string, Record<string, unknown>][]) {
    const pg = createPermgraph({ model: 'qemu-7.2', storage: storage() });
    for (const [execute, args] of commands) expect(pg.execute({ execute, arguments: args })).toEqual({ return: {} });
    const graph = xdbgBlockGraph(pg.graph);
    const raw0 = graph.nodes.find((n) => n.name === 'raw0')!.id;
    const edge = graph.edges.find((e) => e['parent'] === raw0 && e['name'] === 'file')!;
    return { perm: edge['perm'], shared: edge['shared-perm'] };
  }

  const base: [string, Record<string, unknown>][] = [
    ['blockdev-add', { driver: 'file', 'node-name': 'f0', filename: '/i/a.qcow2', 'auto-read-only': true }],
    ['blockdev-add', { driver: 'raw', 'node-name': 'raw0', file: 'f0' }],
    ['nbd-server-start', { addr: { type: 'unix', data: { path: '/i/nbd.sock' } } }],
  ];

  it('owned by the monitor only: nothing taken, all shared (observed: raw -> file "-" / CWUR)', () => {
    expect(fileEdge(base)).toEqual({ perm: [], shared: ['resize', 'write-unchanged', 'write', 'consistent-read'] });
  });

  it('a writable and a read-only export: OR and AND of both (QEMU 7.2: CW / CWU)', () => {
    expect(
      fileEdge([
        ...base,
        ['block-export-add', { type: 'nbd', id: 'e-ro', 'node-name': 'raw0', writable: false }],
        ['block-export-add', { type: 'nbd', id: 'e-rw', 'node-name': 'raw0', name: 'rw', writable: true }],
      ]),
    ).toEqual({ perm: ['write', 'consistent-read'], shared: ['write-unchanged', 'write', 'consistent-read'] });
  });

  it('a read-only export and a read-only qcow2 node: the qcow2 node narrows what is shared (observed: C / CU)', () => {
    expect(
      fileEdge([
        ...base,
        ['block-export-add', { type: 'nbd', id: 'e-ro', 'node-name': 'raw0', writable: false }],
        ['blockdev-add', { driver: 'qcow2', 'node-name': 'q', file: 'raw0', 'read-only': true }],
      ]),
    ).toEqual({ perm: ['consistent-read'], shared: ['write-unchanged', 'consistent-read'] });
  });
});
