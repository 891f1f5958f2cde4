/**
 * The shared oracle scenarios replayed through execute() on real files: in model qemu-7.2 every
 * observation equals what qemu-storage-daemon 7.2 was recorded doing.
 */
import { describe, expect, it } from 'vitest';
import { missing } from './support/environment.js';
import { diffSteps, recordedSteps, replayAsScenarioUser } from './support/oracle.js';

export const CORE_SCENARIOS = [
  'a1_auto_ro_raw_export',
  'a2_auto_ro_qcow2',
  'a3_open_modes',
  'c_read_only_node',
  'e_reopen',
  'f_del_in_use',
  'g3_write_unchanged_and_resize',
] as const;

const why = missing(['qemu-img', 'setpriv']);

describe.skipIf(why)(`oracle scenarios, model qemu-7.2${why ? ` (skipped: ${why})` : ''}`, () => {
  for (const name of CORE_SCENARIOS) {
    it(`${name} matches the recorded trace`, () => {
      const got = replayAsScenarioUser(name, 'qemu-7.2');
      expect(diffSteps(recordedSteps(name), got).map((d) => d.slice(0, 600))).toEqual([]);
    });
  }
});
