/**
 * Checkpoint files, for long runs: where a search stood at the end of a level (or where a bound
 * stopped it), to carry on from with `permgraph check --resume FILE`. The file is a JSON header
 * (the universe's fingerprint and model, the depth, the counters, the paths of the states still
 * to expand) followed by the store's fingerprints, 8 bytes each. It is written whole to a
 * temporary file and then renamed, so a run stopped while writing leaves the last one intact.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Model } from '../graph/types.js';
import { ScenarioError } from '../scenario/load.js';
import type { LevelEnd, Resume } from './explore.js';
import { FingerprintStore } from './fingerprint-store.js';
import { fingerprintBigInt, hash64 } from './state-hash.js';
import type { Universe } from './universe.js';

const MAGIC = 'permgraph-checkpoint 1\n';

interface Header {
  readonly universe: string;
  /** The universe's text, hashed: a checkpoint resumes only the universe it was made of. */
  readonly universeHash: string;
  readonly model: Model;
  /** States were told apart up to symmetry (their fingerprints are their orbits'). */
  readonly symmetry: boolean;
  readonly depth: number;
  readonly represented: number;
  readonly transitions: number;
  readonly elapsedMs: number;
  readonly states: number;
  readonly frontier: readonly (readonly number[])[];
  readonly next: readonly (readonly number[])[];
}

const universeHash = (universe: Universe): string => fingerprintBigInt(hash64(JSON.stringify(universe))).toString(16);

export function writeCheckpoint(file: string, universe: Universe, model: Model, symmetry: boolean, level: LevelEnd): void {
  const header: Header = {
    universe: universe.name,
    universeHash: universeHash(universe),
    model,
    symmetry,
    depth: level.depth,
    represented: level.represented,
    transitions: level.transitions,
    elapsedMs: level.elapsedMs,
    states: level.store.size,
    frontier: level.pending.frontier,
    next: level.pending.next,
  };
  const head = Buffer.from(`${MAGIC}${JSON.stringify(header)}\n`);
  const words = new Uint32Array(2 * level.store.size);
  let at = 0;
  for (const f of level.store.entries()) {
    words[at++] = f.hi;
    words[at++] = f.lo;
  }
  const temporary = `${file}.partial`;
  writeFileSync(temporary, Buffer.concat([head, Buffer.from(words.buffer, 0, at * 4)]));
  renameSync(temporary, file);
}

export function readCheckpoint(file: string, universe: Universe, model: Model, symmetry: boolean): Resume {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch (error) {
    throw new ScenarioError(`${file}: cannot read the checkpoint: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const end = data.indexOf(10, MAGIC.length);
  if (data.subarray(0, MAGIC.length).toString() !== MAGIC || end < 0) throw new ScenarioError(`${file}: not a permgraph checkpoint`);
  let header: Header;
  try {
    header = JSON.parse(data.subarray(MAGIC.length, end).toString()) as Header;
  } catch {
    throw new ScenarioError(`${file}: the checkpoint's header is damaged`);
  }
  if (header.universeHash !== universeHash(universe)) throw new ScenarioError(`${file}: made of another universe (${header.universe}) than ${universe.name}, or of another version of it`);
  if (header.model !== model) throw new ScenarioError(`${file}: made with model ${header.model}, not ${model}`);
  if (header.symmetry !== symmetry) throw new ScenarioError(`${file}: made ${header.symmetry ? 'with' : 'without'} symmetry reduction; resume it ${header.symmetry ? 'with' : 'without'} it`);
  const body = data.subarray(end + 1);
  if (body.length !== header.states * 8) throw new ScenarioError(`${file}: the checkpoint is cut short (${body.length} of ${header.states * 8} bytes of fingerprints)`);
  const store = FingerprintStore.create(FingerprintStore.slotsFor(header.states * 2));
  for (let at = 0; at < body.length; at += 8) store.add({ hi: body.readUInt32LE(at), lo: body.readUInt32LE(at + 4) });
  return { depth: header.depth, store, transitions: header.transitions, represented: header.represented, elapsedMs: header.elapsedMs, pending: { frontier: header.frontier, next: header.next } };
}
