/**
 * Drives a permgraph's simulated clock from real time, for the QMP server: every tick the jobs
 * advance by the seconds that really passed, so a job at speed 1 stays running and one at speed 0
 * finishes at the next tick. The seconds are fractions; job progress still counts whole bytes
 * (advanceJobs() carries what a tick earned short of a byte to the next).
 */
import type { Permgraph } from './permgraph.js';

export interface WallClock {
  stop(): void;
}

export function startWallClock(permgraph: Permgraph, tickMs = 20): WallClock {
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const seconds = (now - last) / 1000;
    last = now;
    if (Object.keys(permgraph.graph.jobs).length > 0) permgraph.advance(seconds);
  }, tickMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
