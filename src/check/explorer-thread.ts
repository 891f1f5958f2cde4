/**
 * The coordinator's handle on one explorer thread: requests answered in order, and what the
 * thread last said of its progress. A thread started from TypeScript sources loads them as this
 * process does (tsx); from the built package, as plain modules.
 */
import { Worker } from 'node:worker_threads';
import type { StoreBuffers } from './fingerprint-store.js';
import type { FromWorker, ToWorker, WorkerInit } from './worker-protocol.js';

type Reply = Exclude<FromWorker, { type: 'tick' }>;
export type LevelReply = Extract<FromWorker, { type: 'level' }>;

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
  /** States of the level it has yet to expand, as it last told. */
  remaining = 0;
  /** States it has found for the next level so far. */
  nextStates = 0;
  private readonly worker: Worker;
  private readonly give = new Int32Array(new SharedArrayBuffer(4));
  private readonly replies: { resolve: (reply: Reply) => void; reject: (error: Error) => void }[] = [];
  private failure: Error | undefined;

  constructor(init: Omit<WorkerInit, 'give'>) {
    this.worker = fromSources ? new Worker(TSX_BOOT, { eval: true }) : new Worker(WORKER);
    this.worker.on('message', (message: FromWorker) => {
      if (message.type === 'tick') {
        this.transitions = message.transitions;
        this.queue = message.queue;
        this.remaining = message.remaining;
      } else this.replies.shift()?.resolve(message);
    });
    const fail = (error: Error): void => {
      this.failure ??= error;
      for (const r of this.replies.splice(0)) r.reject(error);
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`an explorer thread stopped (exit ${code})`)));
    this.worker.postMessage({ ...init, give: this.give.buffer } satisfies WorkerInit);
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
    if (into === 'frontier') {
      this.waiting += paths.length;
      this.remaining += paths.length;
    }
  }

  /** Expands the rest of its share of the level (until done, a bound or a pause). */
  async level(): Promise<LevelReply> {
    const reply = await this.request<LevelReply>({ type: 'level' });
    this.remaining = reply.frontier;
    this.nextStates = reply.next;
    this.transitions = reply.transitions;
    this.represented = reply.represented;
    return reply;
  }

  /** On to the next level, once every thread is done with this one. */
  async nextLevel(): Promise<void> {
    const reply = await this.request<Extract<FromWorker, { type: 'next' }>>({ type: 'next' });
    this.waiting = reply.frontier;
    this.remaining = reply.frontier;
    this.nextStates = 0;
  }

  /** Asks it to pause its level soon (with `give`), to give some of its states away. */
  askToGive(): void {
    Atomics.store(this.give, 0, 1);
  }

  /** Takes back a request to give that came too late (its level had ended). */
  forgetGive(): void {
    Atomics.store(this.give, 0, 0);
  }

  async giveAway(count: number): Promise<number[][]> {
    const reply = await this.request<Extract<FromWorker, { type: 'paths' }>>({ type: 'give', count });
    this.waiting -= reply.paths.length;
    this.remaining -= reply.paths.length;
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
