/** bdrv_default_perms() and the driver rules, over every perm × shared, against spec §3.5 restated. */
import { describe, expect, it } from 'vitest';
import { defaultPerms } from '../../src/drivers/default-perms.js';
import { DRIVERS } from '../../src/drivers/policies.js';
import { Role } from '../../src/drivers/roles.js';
import type { BlockNode } from '../../src/graph/types.js';

const CR = 1, W = 2, WU = 4, RS = 8, ALL = 15;
const parent = { parents: [], options: {} } as unknown as BlockNode;
const input = (perm: number, shared: number, role: number, parentWritable = true, node = parent) =>
  ({ perm, shared, role, parentWritable, edgeName: 'file', parent: node });

/** The spec's words, written again independently. */
function spec(role: number, P: number, S: number, writable: boolean): { perm: number; shared: number } {
  if (role & Role.FILTERED) return { perm: P, shared: S };
  if (role & Role.COW) return { perm: P & CR, shared: (S & W ? W | RS : 0) | CR | WU };
  let perm = P;
  let shared = S;
  if (role & Role.METADATA) {
    if (writable) perm |= W | RS;
    perm |= CR;
    shared &= ~(W | RS);
  }
  if (role & Role.DATA) {
    shared &= ~RS;
    if (perm & WU) perm |= W;
    if (perm & W) perm |= RS;
  }
  return { perm, shared };
}

describe('bdrv_default_perms over all 256 inputs per role', () => {
  for (const [name, role] of [['IMAGE', Role.IMAGE], ['COW', Role.COW], ['FILTERED|PRIMARY', Role.FILTERED | Role.PRIMARY], ['DATA|PRIMARY', Role.DATA | Role.PRIMARY], ['METADATA', Role.METADATA]] as const) {
    it(name, () => {
      for (const writable of [true, false]) {
        for (let P = 0; P < 16; P++) {
          for (let S = 0; S < 16; S++) expect(defaultPerms(input(P, S, role, writable)), `P=${P} S=${S}`).toEqual(spec(role, P, S, writable));
        }
      }
    });
  }

  it("gives the spec's worked values for a format node's file child", () => {
    expect(defaultPerms(input(0, ALL, Role.IMAGE, true))).toEqual({ perm: CR | W | RS, shared: CR | WU });
    expect(defaultPerms(input(0, ALL, Role.IMAGE, false))).toEqual({ perm: CR, shared: CR | WU });
    expect(defaultPerms(input(CR | W, CR | W | WU, Role.COW))).toEqual({ perm: CR, shared: ALL });
  });
});

describe('driver rules', () => {
  const raw = DRIVERS.raw.childPerm!;
  const cor = DRIVERS['copy-on-read'].childPerm!;
  it('raw never adds write or resize of its own', () => {
    for (let P = 0; P < 16; P++) {
      expect(raw(input(P, ALL, Role.FILTERED | Role.PRIMARY))).toEqual({ perm: P, shared: ALL });
      expect(raw(input(P, ALL, Role.DATA | Role.PRIMARY)).perm).toBe(P);
      expect(raw(input(P, ALL, Role.DATA | Role.PRIMARY)).shared).toBe(ALL & ~RS);
    }
  });
  it('copy-on-read always takes write unchanged, even read-only', () => {
    for (let P = 0; P < 16; P++) {
      for (const writable of [true, false]) expect(cor(input(P, ALL, Role.FILTERED, writable))).toEqual({ perm: (P & (CR | W | RS)) | WU, shared: ALL });
    }
    expect(cor(input(CR, CR | W | WU, Role.FILTERED))).toEqual({ perm: CR | WU, shared: CR | W | WU });
  });
  it('commit_top takes nothing and shares everything', () => {
    expect(DRIVERS.commit_top.childPerm!(input(CR | W, CR, Role.FILTERED))).toEqual({ perm: 0, shared: ALL });
  });
  it('mirror_top: identity, minus consistent read and plus shared write for a commit, nothing once stopping', () => {
    const node = (options: object) => ({ parents: [], options }) as unknown as BlockNode;
    const mirror = DRIVERS.mirror_top.childPerm!;
    expect(mirror(input(CR | W, CR | WU, Role.FILTERED, true, node({})))).toEqual({ perm: CR | W, shared: CR | WU });
    expect(mirror(input(CR | W, CR | WU, Role.FILTERED, true, node({ 'x-is-commit': true })))).toEqual({ perm: W, shared: CR | W | WU });
    expect(mirror(input(CR | W, CR | WU, Role.FILTERED, true, node({ 'x-stopping': true })))).toEqual({ perm: 0, shared: ALL });
  });
  it('copy-before-write: target written, source stricter once the filter has parents', () => {
    const cbw = DRIVERS['copy-before-write'].childPerm!;
    const withParent = { parents: [1], options: {} } as unknown as BlockNode;
    expect(cbw(input(CR | W, CR | W | WU, Role.DATA, true, withParent))).toEqual({ perm: W, shared: ALL & ~RS });
    expect(cbw(input(CR | W, CR | W | WU, Role.FILTERED | Role.PRIMARY, true, withParent))).toEqual({ perm: CR | W, shared: CR | WU });
    expect(cbw(input(W, CR | W | WU, Role.FILTERED | Role.PRIMARY, true, parent))).toEqual({ perm: W, shared: CR | W | WU });
  });
});
