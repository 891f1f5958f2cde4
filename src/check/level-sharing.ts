/**
 * One level on every explorer thread, shared out as it goes: a thread that has expanded its
 * share takes over half of what the thread with the most left has yet to expand (by their paths),
 * so that no thread waits long for the others at the level's end. The store grows whenever it
 * fills: the threads that paused for it carry on once it has.
 */
import type { ExplorerThread, LevelReply } from './explorer-thread.js';
import { isPause, type Found, type Stop } from './level-search.js';

/** Fewer states left than this are not worth a request (by default). */
const WORTH_TAKING = 32;

export async function shareLevel(
  threads: readonly ExplorerThread[],
  halt: Int32Array,
  grow: () => Promise<void>,
  worthTaking = WORTH_TAKING,
): Promise<{ found?: Found; stopped?: Stop }> {
  let running = threads;
  let found: Found | undefined;
  let stopped: Stop | undefined;
  const onFound = (f: Found): void => {
    if (found) return;
    found = f;
    Atomics.store(halt, 0, 1);
  };
  while (running.length) {
    const sharing = new Sharing(worthTaking);
    const outcomes = await Promise.all(running.map((t) => sharing.run(t, onFound)));
    running = running.filter((_, i) => outcomes[i]!.stopped === 'grow');
    for (const o of outcomes) if (o.stopped && !isPause(o.stopped) && o.stopped !== 'halt') stopped = o.stopped;
    if (found || stopped) return { ...(found ? { found } : {}), ...(stopped ? { stopped } : {}) };
    if (running.length) await grow();
  }
  return {};
}

class Sharing {
  /** The threads expanding states right now. */
  private readonly busy = new Set<ExplorerThread>();
  /** Threads asked to give, and where their states go. */
  private readonly asked = new Map<ExplorerThread, (paths: number[][]) => void>();

  constructor(private readonly worthTaking: number) {}

  /** A thread's level, with the states it gives away and takes over on the way. */
  async run(t: ExplorerThread, onFound: (found: Found) => void): Promise<LevelReply> {
    for (;;) {
      this.busy.add(t);
      const outcome = await t.level();
      this.busy.delete(t);
      if (outcome.found) onFound(outcome.found);
      await this.answer(t, outcome);
      if (outcome.stopped === 'give') continue;
      if (outcome.found || outcome.stopped || !(await this.take(t))) return outcome;
    }
  }

  /** Gives what was asked of `t`: half of what it has left, or nothing once its level is over. */
  private async answer(t: ExplorerThread, outcome: LevelReply): Promise<void> {
    const asked = this.asked.get(t);
    if (!asked) return;
    this.asked.delete(t);
    t.forgetGive();
    const going = outcome.stopped === 'give' || outcome.stopped === 'grow';
    asked(going && t.remaining > 1 ? await t.giveAway(Math.floor(t.remaining / 2)) : []);
  }

  /** `t` has expanded its share: it takes over half of what the busiest thread has left, if that is worth it. */
  private async take(t: ExplorerThread): Promise<boolean> {
    for (;;) {
      let from: ExplorerThread | undefined;
      for (const v of this.busy) if (!this.asked.has(v) && v.remaining >= this.worthTaking && (!from || v.remaining > from.remaining)) from = v;
      if (!from) return false;
      const giver = from;
      const paths = await new Promise<number[][]>((resolve) => {
        this.asked.set(giver, resolve);
        giver.askToGive();
      });
      if (paths.length) {
        await t.adopt(paths, 'frontier');
        return true;
      }
    }
  }
}
