/**
 * bdrv_default_perms() (block.c) and its three rules, over every parent perm × shared (16 × 16),
 * every role a node-parent gives, and a writable or read-only parent, checked against spec §3.5
 * written again below in terms of named sets rather than bit masks.
 */
import { describe, expect, it } from 'vitest';
import { cowPerms, defaultPerms, filterPerms, storagePerms, type ChildPermInput } from '../../src/drivers/default-perms.js';
import { Role } from '../../src/drivers/roles.js';
import type { BlockNode } from '../../src/graph/types.js';
import { createPermgraph, createVirtualStorage, xdbgBlockGraph } from '../../src/index.js';
import { rulesOf } from '../../src/models/rules.js';

// ---------------------------------------------------------------------------------------------
// The spec's rules, restated

type Name = 'CR' | 'W' | 'WU' | 'RS';
const NAMES: readonly Name[] = ['CR', 'W', 'WU', 'RS'];
const toSet = (bits: number): Set<Name> => new Set(NAMES.filter((_, i) => bits & (1 << i)));
const toBits = (set: ReadonlySet<Name>): number => NAMES.reduce((bits, name, i) => (set.has(name) ? bits | (1 << i) : bits), 0);

/** §3.5: what a node-parent with cumulative (P, S) asks of a child with this role. */
function specRule(role: number, P: number, S: number, parentWritable: boolean): { perm: number; shared: number } {
  const perm = toSet(P);
  const shared = toSet(S);
  if (role & 0x04) {
    // FILTERED: perm = P, shared = S
  } else if (role & 0x08) {
    // COW: only consistent read propagates; W and RS shared only when the parent shares W
    const parentSharesWrite = shared.has('W');
    for (const name of NAMES) if (name !== 'CR') perm.delete(name);
    shared.clear();
    shared.add('CR').add('WU');
    if (parentSharesWrite) shared.add('W').add('RS');
  } else {
    // storage: start from the filter rule
    if (role & 0x02) {
      // METADATA
      if (parentWritable) perm.add('W').add('RS');
      perm.add('CR');
      shared.delete('W');
      shared.delete('RS');
    }
    if (role & 0x01) {
      // DATA
      shared.delete('RS');
      if (perm.has('WU')) perm.add('W');
      if (perm.has('W')) perm.add('RS');
    }
  }
  return { perm: toBits(perm), shared: toBits(shared) };
}

// ---------------------------------------------------------------------------------------------

const CR = 1, W = 2, WU = 4, RS = 8, ALL = 15;
const PARENT = { parents: [], options: {} } as unknown as BlockNode;
const input = (perm: number, shared: number, role: number, parentWritable = true): ChildPermInput =>
  ({ perm, shared, role, parentWritable, edgeName: 'file', parent: PARENT, rules: rulesOf('qemu-7.2') });

const ROLES: readonly [string, number][] = [
  ['IMAGE (DATA|METADATA|PRIMARY)', Role.IMAGE],
  ['COW', Role.COW],
  ['FILTERED', Role.FILTERED],
  ['FILTERED|PRIMARY', Role.FILTERED | Role.PRIMARY],
  ['DATA', Role.DATA],
  ['DATA|PRIMARY', Role.DATA | Role.PRIMARY],
  ['METADATA|PRIMARY', Role.METADATA | Role.PRIMARY],
];

/** Every (P, S, writable) input where the rule and the restatement disagree. */
function disagreements(rule: (i: ChildPermInput) => { perm: number; shared: number }, role: number): string[] {
  const found: string[] = [];
  for (const writable of [true, false]) {
    for (let P = 0; P < 16; P++) {
      for (let S = 0; S < 16; S++) {
        const got = rule(input(P, S, role, writable));
        const want = specRule(role, P, S, writable);
        if (got.perm !== want.perm || got.shared !== want.shared) {
          found.push(`P=${P} S=${S} writable=${writable}: got ${got.perm}/${got.shared}, want ${want.perm}/${want.shared}`);
        }
      }
    }
  }
  return found;
}

describe('the role bits (BdrvChildRoleBits)', () => {
  it("have QEMU's values", () => {
    expect(Role).toEqual({ DATA: 0x01, METADATA: 0x02, FILTERED: 0x04, COW: 0x08, PRIMARY: 0x10, IMAGE: 0x13, NONE: 0 });
  });
});

describe('defaultPerms agrees with spec §3.5 on all 512 inputs of each role', () => {
  it.each(ROLES)('%s', (_name, role) => {
    expect(disagreements(defaultPerms, role)).toEqual([]);
  });
});

describe('each rule on its own', () => {
  it('filterPerms is the identity', () => {
    expect(disagreements(filterPerms, Role.FILTERED)).toEqual([]);
  });
  it('cowPerms', () => {
    expect(disagreements(cowPerms, Role.COW)).toEqual([]);
  });
  it.each(ROLES.filter(([, role]) => role & (Role.DATA | Role.METADATA)))('storagePerms, %s', (_name, role) => {
    expect(disagreements(storagePerms, role)).toEqual([]);
  });
  it('the restatement itself gives the spec\'s examples', () => {
    expect(specRule(Role.IMAGE, 0, ALL, true)).toEqual({ perm: CR | W | RS, shared: CR | WU });
    expect(specRule(Role.COW, CR | W, ALL, true)).toEqual({ perm: CR, shared: ALL });
  });
});

describe("the spec's worked values", () => {
  it('a qcow2 file child (IMAGE) under a format node with no parents', () => {
    expect(defaultPerms(input(0, ALL, Role.IMAGE, true))).toEqual({ perm: CR | W | RS, shared: CR | WU });
    expect(defaultPerms(input(0, ALL, Role.IMAGE, false))).toEqual({ perm: CR, shared: CR | WU });
  });

  it('a backing child below a read-write top whose users share write (a writable export)', () => {
    expect(defaultPerms(input(CR | W, CR | W | WU, Role.COW))).toEqual({ perm: CR, shared: ALL });
  });

  it('a backing child while a backup job unshares write above', () => {
    expect(defaultPerms(input(CR | W, CR | WU, Role.COW))).toEqual({ perm: CR, shared: CR | WU });
  });

  it('a data child: write unchanged brings write, write brings resize; resize is never shared', () => {
    expect(defaultPerms(input(WU, ALL, Role.DATA))).toEqual({ perm: W | WU | RS, shared: CR | W | WU });
  });
});

describe('worked values through a graph (x-debug-query-block-graph, observed from QEMU 7.2)', () => {
  function fileEdge(readOnly: boolean) {
    const pg = createPermgraph({ model: 'qemu-7.2', storage: createVirtualStorage({ '/i/q.qcow2': { format: 'qcow2' } }) });
    expect(pg.execute({ execute: 'blockdev-add', arguments: { driver: 'file', 'node-name': 'g', filename: '/i/q.qcow2', 'read-only': readOnly } })).toEqual({ return: {} });
    expect(pg.execute({ execute: 'blockdev-add', arguments: { driver: 'qcow2', 'node-name': 'q', file: 'g', 'read-only': readOnly } })).toEqual({ return: {} });
    return xdbgBlockGraph(pg.graph).edges.map((e) => ({ name: e['name'], perm: e['perm'], shared: e['shared-perm'] }));
  }

  it('read-write qcow2: ["resize","write","consistent-read"] shared ["write-unchanged","consistent-read"]', () => {
    expect(fileEdge(false)).toEqual([{ name: 'file', perm: ['resize', 'write', 'consistent-read'], shared: ['write-unchanged', 'consistent-read'] }]);
  });

  it('read-only qcow2: ["consistent-read"] shared ["write-unchanged","consistent-read"]', () => {
    expect(fileEdge(true)).toEqual([{ name: 'file', perm: ['consistent-read'], shared: ['write-unchanged', 'consistent-read'] }]);
  });
});
