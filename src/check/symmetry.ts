/**
 * Symmetry reduction: the renamings of interchangeable names under which a universe is the same
 * universe (its setup, its first state and its alphabet), and a state's key up to them. The engine
 * never looks at how a name is spelt, so such a renaming maps every path to a path and every state
 * to a state with the same invariants broken (docs/testing.md, "Reductions"): exploring one state
 * of each orbit explores them all. The names and how a renaming is found are in symmetry-group.ts.
 */
import { findGroup, type Symmetry } from './symmetry-group.js';
import { renamedStateText, stateSections } from './symmetry-text.js';

export type { Symmetry } from './symmetry-group.js';
export type { Renaming } from './symmetry-text.js';
import type { Universe } from './universe.js';
import type { World, WorldState } from './world.js';

/** The most elements a group may have (S5): generators that would make it larger are left out. */
export const MAX_GROUP_ORDER = 120;


/**
 * The group of renamings of a universe's names under which it is invariant; undefined when only
 * the identity is (the common case, found without building any other World). `world` is the
 * universe's World: its first state and its commands are what a renaming must keep.
 */
export function symmetryOf(universe: Universe, world: World): Symmetry | undefined {
  return findGroup(universe, world, MAX_GROUP_ORDER);
}

export interface SymmetricKey<K> {
  /** The key of the orbit's representative: the least canonical text of the state's renamings, hashed. */
  readonly key: K;
  /** How many states the orbit has: |G| / |stabiliser of the state|. */
  readonly orbitSize: number;
}

/**
 * The key of a state's orbit. Exact: two states get the same text to hash when, and only when,
 * one is a renaming of the other (the text is the least of the orbit's canonical texts, and the
 * canonical text of a state determines the state as stateKey() does). Cost: |G| renamings of
 * every fragment of the state and |G| sorts, then one hash; the fragments themselves are the
 * state-fragments.ts ones, cached on their objects.
 */
export function symmetricKey<K>(sym: Symmetry, state: WorldState, hash: (text: string) => K): SymmetricKey<K> {
  const sections = stateSections(state);
  const own = renamedStateText(sections, sym.renamings[0]!);
  let least = own;
  let fixed = 1;
  for (let k = 1; k < sym.renamings.length; k++) {
    const text = renamedStateText(sections, sym.renamings[k]!);
    if (text === own) fixed++;
    else if (text < least) least = text;
  }
  return { key: hash(least), orbitSize: sym.renamings.length / fixed };
}
