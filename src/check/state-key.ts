/**
 * A state's canonical identity, read straight off the snapshot: what two command sequences must
 * agree on to lead to the same future. Path-dependent numbering is left out (edge and backend ids
 * become their parent, name and child; generated node names become their driver and child; the
 * clock goes, a job's progress stays): see canonical-names.ts, and state-fragments.ts for each
 * object's text. stateKey() folds the fragments into a 64-bit fingerprint.
 */
import { shardValueList } from '../graph/shard-walk.js';
import { viewOf } from '../invariants/view.js';
import { foldable, foldableEdge, foldedFragments, generatedNames, renameGenerated } from './canonical-names.js';
import { backendFragment, edgeFragment, exportFragment, imageFragments, jobFragment, nodeFragment } from './state-fragments.js';
import { addHashes, EDGES, type Fingerprint, fingerprintBigInt, fragmentHash64, NODES, REST, TAIL } from './state-hash.js';
import { tallyOf } from './state-tally.js';
import type { BlockNode, Graph } from '../graph/types.js';

/** What follows the objects in a state's text: the NBD server, the user objects and the storage's key. */
const tailText = (g: Graph, storageKey: string): string =>
  `${g.nbdServer ? 'nbd' : ''}|${Object.keys(g.objects).length ? JSON.stringify(g.objects) : ''}|${storageKey}`;

/** The canonical text of a state (snapshot plus the storage's key). */
export function stateText(g: Graph, storageKey: string): string {
  const nodes: string[] = [];
  const generated: BlockNode[] = [];
  const view = viewOf(g);
  for (const n of view.nodes) {
    nodes.push(nodeFragment(g, n));
    if (n.generated) generated.push(n);
  }
  const edges = foldedFragments(view.edges, (e) => edgeFragment(g, e), (e) => foldableEdge(g, e));
  const rest = foldedFragments(view.backends, backendFragment, foldable);
  for (const x of view.exports) rest.push(exportFragment(x));
  for (const j of Object.values(g.jobs)) rest.push(jobFragment(j));
  rest.push(...imageFragments(g));
  const text = `${nodes.sort().join('\n')}\n${edges.sort().join('\n')}\n${rest.sort().join('\n')}\n${tailText(g, storageKey)}`;
  if (generated.length === 0) return text;
  return renameGenerated(text, generatedNames(g, generated));
}

/**
 * The hash of stateText() without building it: each fragment's hash (remembered for its object,
 * like the fragment) is added up by section, which gives the same for the same fragments in any
 * order, as sorting them does. The sum over nodes, edges and backends is remembered for each
 * snapshot (state-tally.ts); given the snapshot a state was reached `from`, only the entries the
 * command changed are hashed. Fragments that name generated nodes are renamed first, each time;
 * those of leaked backends and their edges count once however many copies there are.
 */
export function stateFingerprint(g: Graph, storageKey: string, from?: Graph): Fingerprint {
  const tally = tallyOf(g, from);
  let key = tally.sum;
  // every generated node names itself, so it is among the renamed
  const generated = tally.nodes.filter((n) => n.generated);
  const names = generated.length ? generatedNames(g, generated) : undefined;
  for (const n of tally.nodes) key = addHashes(key, textHash(nodeFragment(g, n), NODES, names));
  for (const text of foldedFragments(tally.edges, (e) => edgeFragment(g, e), (e) => foldableEdge(g, e))) key = addHashes(key, textHash(text, EDGES, names));
  for (const text of foldedFragments(tally.backends, backendFragment, foldable)) key = addHashes(key, textHash(text, REST, names));
  for (const x of shardValueList(g.exports)) key = addHashes(key, textHash(exportFragment(x), REST, names));
  for (const id in g.jobs) key = addHashes(key, textHash(jobFragment(g.jobs[id]!), REST, names));
  if (g.writtenImages || g.storedBitmaps) for (const f of imageFragments(g)) key = addHashes(key, textHash(f, REST, names));
  return addHashes(key, textHash(tailText(g, storageKey), TAIL, names));
}

/** The fingerprint as one 64-bit number. */
export const stateKey = (g: Graph, storageKey: string, from?: Graph): bigint => fingerprintBigInt(stateFingerprint(g, storageKey, from));

function textHash(text: string, section: number, names: ReadonlyMap<string, string> | undefined): Fingerprint {
  return fragmentHash64(names ? renameGenerated(text, names) : text, section);
}
