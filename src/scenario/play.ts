/** Plays a loaded scenario in one model, on virtual files when it describes them (`auto`). */
import { basename } from 'node:path';
import type { Model } from '../graph/types.js';
import { createRealStorage } from '../host/real-storage.js';
import { runScenario, type RunResult } from './run.js';
import type { Scenario } from './schema.js';
import { virtualStorageFor } from './virtual-setup.js';

export type StorageKind = 'auto' | 'virtual' | 'real';

export function playScenario(
  scenario: Scenario,
  file: string,
  model: Model,
  storageKind: StorageKind,
  checkInvariants = false,
): RunResult {
  const virtual = storageKind === 'virtual' || (storageKind === 'auto' && (scenario.files || scenario.setup));
  const workdir = virtual ? `/scenario/${scenario.name ?? basename(file).replace(/\.[^.]+$/, '')}` : process.cwd();
  const storage = virtual ? virtualStorageFor(scenario, workdir, file) : createRealStorage();
  return runScenario(scenario, { model, storage, workdir, checkInvariants, file });
}
