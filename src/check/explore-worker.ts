/**
 * An explorer thread: its own World over the universe, its share of each level, and the
 * fingerprint store it shares with the other threads. It answers the coordinator
 * (explore-parallel.ts) one request at a time, in order, and tells it how far it has got.
 */
import { parentPort } from 'node:worker_threads';
import { FingerprintStore } from './fingerprint-store.js';
import { LevelSearch } from './level-search.js';
import { reductionsFor } from './reductions.js';
import { World } from './world.js';
import type { FromWorker, ToWorker, WorkerInit } from './worker-protocol.js';

const TICK_MS = 100;

function serve(init: WorkerInit): void {
  const port = parentPort!;
  const world = new World(init.universe, { model: init.model });
  const halt = new Int32Array(init.halt);
  const give = new Int32Array(init.give);
  let lastTick = 0;
  const search = new LevelSearch(world, new FingerprintStore(init.store), {
    ...(init.allowQuirks ? { allowQuirks: true } : {}),
    ...(init.maxStates !== undefined ? { maxStates: init.maxStates } : {}),
    onTick: () => {
      const now = Date.now();
      if (now - lastTick >= TICK_MS) {
        lastTick = now;
        port.postMessage({ type: 'tick', transitions: search.transitions, queue: queueOf(search), remaining: search.frontier.length - search.cursor } satisfies FromWorker);
      }
      if (Atomics.load(halt, 0)) return 'halt';
      if (Atomics.exchange(give, 0, 0)) return 'give';
      return init.deadline !== undefined && now >= init.deadline ? 'time' : undefined;
    },
  }, reductionsFor(world, init.symmetry).fingerprint);
  const reply = (message: FromWorker): void => port.postMessage(message);
  port.on('message', (message: ToWorker) => {
    switch (message.type) {
      case 'adopt':
        search.adopt(message.paths, message.into);
        return reply({ type: 'done' });
      case 'level': {
        const outcome = search.expandShare();
        return reply({ type: 'level', ...outcome, frontier: search.frontier.length - search.cursor, next: search.next.length, transitions: search.transitions, represented: search.represented });
      }
      case 'next':
        search.nextLevel();
        return reply({ type: 'next', frontier: search.frontier.length });
      case 'give':
        return reply({ type: 'paths', paths: search.giveAway(message.count) });
      case 'store':
        search.store = new FingerprintStore(message.store);
        return reply({ type: 'done' });
      case 'pending':
        return reply({ type: 'pending', ...search.pendingPaths() });
    }
  });
}

const queueOf = (search: LevelSearch): number => search.frontier.length - search.cursor + search.next.length;

parentPort?.once('message', (init: WorkerInit) => serve(init));
