/**
 * How states are told apart in a search: by their plain fingerprint, or with symmetry reduction
 * by their orbit's under the universe's symmetry group (symmetry.ts), when it has one.
 */
import type { StateFingerprint } from './level-search.js';
import { symmetricFingerprint } from './symmetric-fingerprint.js';
import { symmetryOf } from './symmetry.js';
import type { World } from './world.js';

export interface Reductions {
  /** The renamings of the universe's interchangeable names, when it has any. */
  readonly symmetry: number;
  readonly fingerprint?: StateFingerprint;
}

/** The fingerprint for a search of this world: up to symmetry when asked and the universe has any. */
export function reductionsFor(world: World, symmetry: boolean): Reductions {
  const group = symmetry ? symmetryOf(world.universe, world) : undefined;
  if (!group) return { symmetry: 1 };
  return { symmetry: group.renamings.length, fingerprint: (state, from) => symmetricFingerprint(group, state, from) };
}
