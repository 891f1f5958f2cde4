/**
 * A state's canonical text under a renaming of names: the fragments of state-fragments.ts (with
 * generated names put as canonical-names.ts says), each renamed token by token, then sorted by
 * section. A token is a maximal run of letters, digits and `_`; a renaming maps whole tokens to
 * whole tokens (`n1` in `n1-file`, `/scenario/u/n1.qcow2` or `#qcow2>n1`), so it is a bijection
 * of texts, and two states have the same text under the identity exactly when their fragments
 * are the same multiset section by section: what stateKey() sums, fragment by fragment.
 */
import { viewOf } from '../invariants/view.js';
import { foldable, foldableEdge, foldedFragments, generatedNames, renameGenerated } from './canonical-names.js';
import { backendFragment, edgeFragment, exportFragment, imageFragments, jobFragment, nodeFragment } from './state-fragments.js';
import type { BlockNode, Graph } from '../graph/types.js';
import type { WorldState } from './world.js';

/** A renaming: the tokens it moves, each to its image (tokens it leaves alone are absent). */
export type Renaming = ReadonlyMap<string, string>;

const TOKEN = /[A-Za-z0-9_]+/g;

/** The text with every token the renaming moves put as it says. */
export function renameText(text: string, renaming: Renaming): string {
  return renaming.size === 0 ? text : text.replace(TOKEN, (token) => renaming.get(token) ?? token);
}

/** The tokens of a text, in order. */
export const tokensOf = (text: string): string[] => text.match(TOKEN) ?? [];

/** A state's fragments by section (nodes, edges, the rest, the storage's entries), generated names canonical. */
export interface StateSections {
  readonly nodes: readonly string[];
  readonly edges: readonly string[];
  readonly rest: readonly string[];
  /** The NBD server flag and the user objects: no renaming reorders them. */
  readonly tail: string;
  /** The storage key's entries (path:flags, nbd:address=id), each renamed and sorted on its own. */
  readonly storage: readonly string[];
}

const sectionsCache = new WeakMap<Graph, Map<string, StateSections>>();

/** The sections of a state (remembered for its snapshot and storage key). */
export function stateSections(state: WorldState): StateSections {
  const g = state.graph;
  let byStorage = sectionsCache.get(g);
  if (!byStorage) sectionsCache.set(g, (byStorage = new Map()));
  let found = byStorage.get(state.storage.key);
  if (found) return found;
  const view = viewOf(g);
  const generated: BlockNode[] = view.nodes.filter((n) => n.generated);
  const names = generated.length ? generatedNames(g, generated) : undefined;
  const canonical = (text: string): string => (names ? renameGenerated(text, names) : text);
  const rest = [...foldedFragments(view.backends, backendFragment, foldable), ...view.exports.map(exportFragment), ...Object.values(g.jobs).map(jobFragment), ...imageFragments(g)];
  found = {
    nodes: view.nodes.map((n) => canonical(nodeFragment(g, n))),
    edges: foldedFragments(view.edges, (e) => edgeFragment(g, e), (e) => foldableEdge(g, e)).map(canonical),
    rest: rest.map(canonical),
    tail: canonical(`${g.nbdServer ? 'nbd' : ''}|${Object.keys(g.objects).length ? JSON.stringify(g.objects) : ''}`),
    storage: state.storage.key === '' ? [] : state.storage.key.split(','),
  };
  byStorage.set(state.storage.key, found);
  return found;
}

const renamedSorted = (fragments: readonly string[], renaming: Renaming): string =>
  fragments
    .map((f) => renameText(f, renaming))
    .sort()
    .join('\n');

/**
 * The canonical text of the state the renaming makes of this one: each section's fragments
 * renamed and sorted again, sections marked so that none can run into the next (by `§` and a
 * digit: no renaming moves them).
 */
export function renamedStateText(sections: StateSections, renaming: Renaming): string {
  return (
    `§1\n${renamedSorted(sections.nodes, renaming)}\n§2\n${renamedSorted(sections.edges, renaming)}\n§3\n${renamedSorted(sections.rest, renaming)}` +
    `\n§4\n${renameText(sections.tail, renaming)}\n§5\n${sections.storage
      .map((s) => renameText(s, renaming))
      .sort()
      .join(',')}`
  );
}
