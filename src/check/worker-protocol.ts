/** What the coordinator and its explorer threads say to each other (explore-parallel.ts, explore-worker.ts). */
import type { Model } from '../graph/types.js';
import type { StoreBuffers } from './fingerprint-store.js';
import type { Found, Stop } from './level-search.js';
import type { Universe } from './universe.js';

export interface WorkerInit {
  readonly universe: Universe;
  readonly model: Model;
  readonly store: StoreBuffers;
  /** [0] set: stop at once (another thread found a violation). */
  readonly halt: SharedArrayBuffer;
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
  /** Expand the rest of the level. */
  | { readonly type: 'level' }
  | { readonly type: 'give'; readonly count: number }
  | { readonly type: 'store'; readonly store: StoreBuffers }
  | { readonly type: 'pending' };

export type FromWorker =
  | { readonly type: 'done' }
  | {
      readonly type: 'level';
      readonly found?: Found;
      readonly stopped?: Stop | 'grow';
      /** States now waiting in its frontier. */
      readonly frontier: number;
      readonly transitions: number;
      readonly represented: number;
    }
  | { readonly type: 'paths'; readonly paths: number[][] }
  | { readonly type: 'pending'; readonly frontier: number[][]; readonly next: number[][] }
  | { readonly type: 'tick'; readonly transitions: number; readonly queue: number };
