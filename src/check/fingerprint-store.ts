/**
 * The set of states seen, as 64-bit fingerprints in one flat table (open addressing, linear
 * probing) instead of keyed objects: 9 bytes a slot, kept at most half full, so 18 bytes or less
 * a state. The table may live in a SharedArrayBuffer: explorer threads then claim fingerprints in
 * it at once, each slot taken by an atomic compare-and-swap of its one-byte mark (empty → being
 * written → written), so two threads never both think they found a state first.
 *
 * Two distinct states share a fingerprint with probability about n²/2^65 over a run of n states
 * (the birthday bound on 64 bits): 3·10⁻⁹ for 350,000 states, 7·10⁻⁷ for 5 million. A shared
 * fingerprint would make the explorer skip the second state (and what only it leads to), as TLC's
 * does; docs/testing.md says how the figure is computed.
 */
import type { Fingerprint } from './state-hash.js';

const EMPTY = 0;
const WRITING = 1;
const WRITTEN = 2;
/** Above this share of slots in use, grow() should be called. */
export const MAX_LOAD = 0.5;

/** The buffers of a store: what is sent to another thread, or written to a checkpoint. */
export interface StoreBuffers {
  readonly marks: ArrayBufferLike;
  readonly words: ArrayBufferLike;
  /** [0]: fingerprints held. */
  readonly count: ArrayBufferLike;
}

export class FingerprintStore {
  private readonly marks: Int8Array;
  /** hi, lo of each slot. */
  private readonly words: Int32Array;
  private readonly counter: Int32Array;
  private readonly mask: number;

  constructor(readonly buffers: StoreBuffers) {
    this.marks = new Int8Array(buffers.marks);
    this.words = new Int32Array(buffers.words);
    this.counter = new Int32Array(buffers.count);
    this.mask = this.marks.length - 1;
    if ((this.marks.length & this.mask) !== 0 || this.words.length !== 2 * this.marks.length) throw new RangeError('a fingerprint store has a power of two of slots');
  }

  /** An empty store of `slots` slots (a power of two), shared between threads when asked. */
  static create(slots: number, shared = false): FingerprintStore {
    const make = (bytes: number): ArrayBufferLike => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
    return new FingerprintStore({ marks: make(slots), words: make(8 * slots), count: make(4) });
  }

  /** Room for `states` fingerprints at the load allowed. */
  static slotsFor(states: number): number {
    return 2 ** Math.max(10, Math.ceil(Math.log2(Math.max(states, 1) / MAX_LOAD)));
  }

  get size(): number {
    return Atomics.load(this.counter, 0);
  }

  get slots(): number {
    return this.marks.length;
  }

  get full(): boolean {
    return this.size > this.slots * MAX_LOAD;
  }

  /** Half its room taken: worth growing at a pause, before the next level fills it. */
  get filling(): boolean {
    return this.size > (this.slots * MAX_LOAD) / 2;
  }

  /** Puts the fingerprint in; true when it was not there before (this caller found it first). */
  add(f: Fingerprint): boolean {
    const hi = f.hi | 0;
    const lo = f.lo | 0;
    const { marks, words, mask } = this;
    for (let at = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask, probes = 0; ; at = (at + 1) & mask) {
      if (++probes > mask) throw new RangeError('the fingerprint store is full');
      let mark = Atomics.load(marks, at);
      if (mark === EMPTY) {
        mark = Atomics.compareExchange(marks, at, EMPTY, WRITING);
        if (mark === EMPTY) {
          words[2 * at] = hi;
          words[2 * at + 1] = lo;
          Atomics.store(marks, at, WRITTEN);
          Atomics.add(this.counter, 0, 1);
          return true;
        }
      }
      while (mark === WRITING) mark = Atomics.load(marks, at);
      if (words[2 * at] === hi && words[2 * at + 1] === lo) return false;
    }
  }

  has(f: Fingerprint): boolean {
    const hi = f.hi | 0;
    const lo = f.lo | 0;
    const { marks, words, mask } = this;
    for (let at = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask; ; at = (at + 1) & mask) {
      const mark = Atomics.load(marks, at);
      if (mark === EMPTY) return false;
      if (mark === WRITTEN && words[2 * at] === hi && words[2 * at + 1] === lo) return true;
    }
  }

  /** Every fingerprint held, as hi, lo pairs (for a bigger store, or a checkpoint). */
  *entries(): Generator<Fingerprint> {
    for (let at = 0; at < this.marks.length; at++) {
      if (this.marks[at] === WRITTEN) yield { hi: this.words[2 * at]! >>> 0, lo: this.words[2 * at + 1]! >>> 0 };
    }
  }

  get shared(): boolean {
    return this.buffers.marks instanceof SharedArrayBuffer;
  }

  /** A store twice as big holding the same fingerprints; call it only while no other thread adds. */
  grown(): FingerprintStore {
    return this.copy(this.shared, this.slots * 2);
  }

  /** The same fingerprints in a store of at least `slots` slots, shared between threads or not. */
  copy(shared: boolean, slots = this.slots): FingerprintStore {
    const copy = FingerprintStore.create(Math.max(slots, FingerprintStore.slotsFor(this.size)), shared);
    for (const f of this.entries()) copy.add(f);
    return copy;
  }
}
