/**
 * The oracle's scenarios (the shared QEMU oracle's, with the traces its driver recorded, copied
 * into test/fixtures/oracle) replayed through execute() on real files: in model qemu-7.2 every
 * observation equals what qemu-storage-daemon 7.2 was recorded doing.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { missing } from './support/environment.js';
import { FIRST_QEMU_MODEL, traceFileOf } from '../src/diff/versions.js';
import {
  compactDifferences, diffSteps, loadScenario, ORACLE_SCENARIOS, recordedSteps, replayAsScenarioUser, SCENARIO_DIR, SHARED_ORACLE_DIR,
} from './support/oracle.js';

/** The shared oracle's scenarios beside the checkout, when they are there: the copies must be current. */
const SHARED_SCENARIOS = join(SHARED_ORACLE_DIR, 'scenarios');
const noShared = existsSync(SHARED_SCENARIOS) ? null : `no shared oracle at ${SHARED_SCENARIOS} to compare the copies with (optional)`;

describe.skipIf(noShared)(`test/fixtures/oracle${noShared ? ` (skipped: ${noShared})` : ''}`, () => {
  it('holds the shared oracle\'s scenarios and recordings as they are (beside them, the project\'s recordings on QEMU 10.0)', () => {
    const ours = (f: string): boolean => traceFileOf(f)?.model !== undefined && traceFileOf(f)?.model !== FIRST_QEMU_MODEL;
    const files = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.json') && !ours(f)).sort();
    expect(files(SCENARIO_DIR)).toEqual(files(SHARED_SCENARIOS));
    for (const f of files(SHARED_SCENARIOS)) {
      expect(readFileSync(join(SCENARIO_DIR, f), 'utf8'), `${f}: copy it again from ${SHARED_SCENARIOS}`).toBe(readFileSync(join(SHARED_SCENARIOS, f), 'utf8'));
    }
  });
});


/**
 * What else the dynamic model changes, scenario by scenario, beyond auto-read-only nodes showing
 * ro:true while nothing writes and the refusal text naming the node.
 */
const MODEL_CHANGES: Readonly<Record<string, { readonly why: string; readonly lines: RegExp }>> = {
  a2_auto_ro_qcow2: {
    why: 'an auto-read-only qcow2 without a writer is read-only: no write or resize on its file',
    lines: /^\[12\] (edge fmt1 -file-> #implicit: CWR\/CU -> C\/CU|fds: .*O_RDWR.* -> .*O_RDONLY perm:consistent-read,unshared)/,
  },
  b1_unwritable_0444_nonroot: {
    why: 'an auto-read-only qcow2 opens on unwritable storage (read-only until a writer comes)',
    lines: /^\[1[345]\] (reply: .*Could not open .* -> \{\}|ro (#implicit|q-auto): undefined -> true|edge q-auto -file-> #implicit: none -> C\/CU|fds: )/,
  },
  d2_commit_intermediate: {
    why: 'the base of a cancelled active commit drops back to read-only with its last writer',
    lines: /^\[1[67]\] (ro base: false -> true|edge base -file-> base-file: CWR\/CU -> C\/CU|fds: .*base\.qcow2 O_RDWR.* -> .*base\.qcow2 O_RDONLY)/,
  },
};

const why = missing(['qemu-img', 'qemu-io', 'setpriv']);

describe.skipIf(why)(`oracle scenarios, model qemu-7.2${why ? ` (skipped: ${why})` : ''}`, () => {
  for (const name of ORACLE_SCENARIOS) {
    it(`${name} matches the recorded trace`, () => {
      const got = replayAsScenarioUser(name, 'qemu-7.2');
      expect(diffSteps(recordedSteps(name), got).map((d) => d.slice(0, 600))).toEqual([]);
    });
  }
});

/**
 * The same scenarios in model dynamic. What differs from the recording is exactly what the model
 * implies, reviewed and frozen in test/fixtures/dynamic-vs-qemu-7.2.json:
 * - an auto-read-only node with no writer shows ro:true (QEMU 7.2 keeps ro:false and only its
 *   file descriptor follows the writers);
 * - an auto-read-only qcow2 with no writer is read-only, so it takes no write or resize on its
 *   file, and the file stays O_RDONLY;
 * - a writer that the storage cannot serve is refused with a text naming the node and the file.
 */
describe.skipIf(why)(`oracle scenarios, model dynamic${why ? ` (skipped: ${why})` : ''}`, () => {
  const expected = JSON.parse(
    readFileSync(new URL('./fixtures/dynamic-vs-qemu-7.2.json', import.meta.url), 'utf8'),
  ) as Record<string, string[]>;

  it('covers every oracle scenario', () => {
    expect(Object.keys(expected).sort()).toEqual([...ORACLE_SCENARIOS]);
  });

  for (const name of ORACLE_SCENARIOS) {
    it(`${name} differs from QEMU 7.2 only as the dynamic model implies`, () => {
      const differences = compactDifferences(recordedSteps(name), replayAsScenarioUser(name, 'dynamic'));
      expect(differences).toEqual(expected[name]);
      const autoReadOnly = autoReadOnlyNodes(name);
      for (const line of differences) {
        const ro = /^\[\d+\] ro (\S+): false -> true$/.exec(line);
        const refusal = /^\[\d+\] reply: \{"class":"GenericError","desc":"Could not open '([^']+)': ([^"]+)"\} -> \{"class":"GenericError","desc":"Cannot reopen node '[^']+' read-write for a writer: could not open '\1': \2"\}$/;
        if (MODEL_CHANGES[name]?.lines.test(line)) continue;
        if (ro) expect(autoReadOnly, line).toContain(ro[1] === '#implicit' ? 'inline' : ro[1]);
        else expect(line).toMatch(refusal);
      }
    });
  }
});

/** Nodes a scenario opens with auto-read-only (inline children count as 'inline'). */
function autoReadOnlyNodes(name: string): string[] {
  const { scenario } = loadScenario(name);
  const names: string[] = [];
  const walk = (options: Record<string, unknown>, inline: boolean): void => {
    if (options['auto-read-only'] === true) names.push(inline ? 'inline' : String(options['node-name']));
    for (const child of ['file', 'backing']) {
      const value = options[child];
      if (value && typeof value === 'object') {
        if (options['auto-read-only'] === true && !('auto-read-only' in value)) names.push('inline');
        walk(value as Record<string, unknown>, true);
      }
    }
  };
  for (const step of scenario.steps) {
    if (step['execute'] === 'blockdev-add') walk(step['arguments'] as Record<string, unknown>, false);
    if (step['execute'] === 'blockdev-reopen') {
      for (const o of (step['arguments'] as { options: Record<string, unknown>[] }).options) walk(o, false);
    }
  }
  return names;
}
