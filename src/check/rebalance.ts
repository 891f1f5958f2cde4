/**
 * Between two levels: states moved, by their paths, from explorer threads with more than their
 * share of the next level to threads with fewer, when the difference is worth the replay.
 */
import type { ExplorerThread } from './explorer-thread.js';

/** Below this share of a thread's fair load, a difference is left as it is. */
const SLACK = 0.1;

export async function rebalance(threads: readonly ExplorerThread[]): Promise<void> {
  const total = threads.reduce((n, t) => n + t.waiting, 0);
  const fair = total / threads.length;
  const givers = threads.filter((t) => t.waiting > fair * (1 + SLACK) + 8);
  const takers = threads.filter((t) => t.waiting < fair * (1 - SLACK) - 8);
  if (!givers.length || !takers.length) return;
  const given = (await Promise.all(givers.map((t) => t.giveAway(Math.floor(t.waiting - fair))))).flat();
  let at = 0;
  for (const taker of takers) {
    const want = Math.min(Math.ceil(fair - taker.waiting), given.length - at);
    await taker.adopt(given.slice(at, at + want), 'frontier');
    at += want;
  }
  // what is left over goes back to the first giver
  if (at < given.length) await givers[0]!.adopt(given.slice(at), 'frontier');
}
