/** `permgraph check`'s progress line on a terminal: depth, states, states/s, queue and transitions. */
import { SingleBar } from 'cli-progress';
import type { Progress } from '../check/explore.js';

/** Where the progress line is drawn: a terminal only. */
export interface ProgressStream extends NodeJS.WritableStream {
  readonly isTTY?: boolean;
}

/** A bar filling towards --max-states when given; the counters alone otherwise. None off a terminal. */
export function progressBar(stream: ProgressStream, maxStates?: number): { update(p: Progress): void; stop(): void } | null {
  if (!stream.isTTY) return null;
  const bar = new SingleBar({
    stream,
    format: `exploring ${maxStates ? '{bar} ' : ''}| depth {depth} | {value} states | {rate} states/s | queue {queue} | {transitions} transitions | {seconds} s`,
    hideCursor: true,
  });
  bar.start(maxStates ?? 0, 1, { depth: 0, rate: 0, queue: 0, transitions: 0, seconds: 0 });
  return {
    update: (p) =>
      bar.update(p.states, {
        depth: p.depth,
        rate: Math.round((p.states / Math.max(p.elapsedMs, 1)) * 1000),
        queue: p.queue,
        transitions: p.transitions,
        seconds: (p.elapsedMs / 1000).toFixed(1),
      }),
    stop: () => bar.stop(),
  };
}
