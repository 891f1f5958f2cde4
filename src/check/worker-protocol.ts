/** What the coordinator and its explorer threads say to each other (explore-parallel.ts, explore-worker.ts). */
import type { Model } from '../graph/types.js';
import type { StoreBuffers } from './fingerprint-store.js';
import type { Found, Pause, Stop } from './level-search.js';
import type { Universe } from './universe.js';

export interface WorkerInit {
  readonly universe: Universe;
  readonly model: Model;
  readonly store: StoreBuffers;
  /** [0] set: stop at once (another thread found a violation). */
  readonly halt: SharedArrayBuffer;
  /** [0] set: pause the level, to give some of its states to a thread that has run out. */
  readonly give: SharedArrayBuffer;
  readonly allowQuirks?: boolean;
  /** Tell states apart up to the universe's symmetry group. */
  readonly symmetry: boolean;
  readonly maxStates?: number;
  /** Date.now() at which to stop. */
  readonly deadline?: number;
}

type Paths = readonly (readonly number[])[];

export type ToWorker =
  | { readonly type: 'adopt'; readonly paths: Paths; readonly into: 'frontier' | 'next' }
  /** Expand the rest of the level (and stay on it). */
  | { readonly type: 'level' }
  /** Every thread is done with the level: on to the next. */
  | { readonly type: 'next' }
  | { readonly type: 'give'; readonly count: number }
  | { readonly type: 'store'; readonly store: StoreBuffers }
  | { readonly type: 'pending' };

export type FromWorker =
  | { readonly type: 'done' }
  | {
      readonly type: 'level';
      readonly found?: Found;
      readonly stopped?: Stop | Pause;
      /** States of the level it has yet to expand. */
      readonly frontier: number;
      /** States it has found for the next level. */
      readonly next: number;
      readonly transitions: number;
      readonly represented: number;
    }
  | { readonly type: 'next'; readonly frontier: number }
  | { readonly type: 'paths'; readonly paths: number[][] }
  | { readonly type: 'pending'; readonly frontier: number[][]; readonly next: number[][] }
  | { readonly type: 'tick'; readonly transitions: number; readonly queue: number; readonly remaining: number };
