/**
 * The coordinator's handle on one explorer thread: requests answered in order, and what the
 * thread last said of its progress. A thread started from TypeScript sources loads them as this
 * process does (tsx); from the built package, as plain modules.
 */
import { Worker } from 'node:worker_threads';
import type { StoreBuffers } from './fingerprint-store.js';
import type { FromWorker, ToWorker, WorkerInit } from './worker-protocol.js';

type Reply = Exclude<FromWorker, { type: 'tick' }>;
type LevelReply = Extract<FromWorker, { type: 'level' }>;

const fromSources = import.meta.url.endsWith('.ts');
const WORKER = new URL(fromSources ? './explore-worker.ts' : './explore-worker.js', import.meta.url);
/** A thread's first code when run from the sources: tsx's loader, then the thread's module. */
const TSX_BOOT = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(WORKER.href)}); });`;

export class ExplorerThread {
  /** States waiting in its frontier (after the last level or adoption). */
  waiting = 0;
  /** Its transitions and queue, as it last told. */
  transitions = 0;
  queue = 0;
  /** The states its new states stand for (their orbits, with symmetry reduction). */
  represented = 0;
  /** True when its last level ran to its end (its frontier is then the next level). */
  levelDone = false;
  private readonly worker: Worker;
  private readonly replies: { resolve: (reply: Reply) => void; reject: (error: Error) => void }[] = [];
  private failure: Error | undefined;

  constructor(init: WorkerInit) {
    this.worker = fromSources ? new Worker(TSX_BOOT, { eval: true }) : new Worker(WORKER);
    this.worker.on('message', (message: FromWorker) => {
      if (message.type === 'tick') {
        this.transitions = message.transitions;
        this.queue = message.queue;
      } else this.replies.shift()?.resolve(message);
    });
    const fail = (error: Error): void => {
      this.failure ??= error;
      for (const r of this.replies.splice(0)) r.reject(error);
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`an explorer thread stopped (exit ${code})`)));
    this.worker.postMessage(init);
  }

  private request<T extends Reply>(message: ToWorker): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<T>((resolve, reject) => {
      this.replies.push({ resolve: resolve as (reply: Reply) => void, reject });
      this.worker.postMessage(message);
    });
  }

  async adopt(paths: readonly (readonly number[])[], into: 'frontier' | 'next'): Promise<void> {
    if (!paths.length) return;
    await this.request({ type: 'adopt', paths, into });
    if (into === 'frontier') this.waiting += paths.length;
  }

  async level(): Promise<LevelReply> {
    const reply = await this.request<LevelReply>({ type: 'level' });
    this.waiting = reply.frontier;
    this.transitions = reply.transitions;
    this.represented = reply.represented;
    this.levelDone = reply.stopped === undefined && reply.found === undefined;
    return reply;
  }

  async giveAway(count: number): Promise<number[][]> {
    const reply = await this.request<Extract<FromWorker, { type: 'paths' }>>({ type: 'give', count });
    this.waiting -= reply.paths.length;
    return reply.paths;
  }

  async useStore(store: StoreBuffers): Promise<void> {
    await this.request({ type: 'store', store });
  }

  pending(): Promise<Extract<FromWorker, { type: 'pending' }>> {
    return this.request({ type: 'pending' });
  }

  async stop(): Promise<void> {
    this.failure ??= new Error('stopped');
    await this.worker.terminate();
  }
}
