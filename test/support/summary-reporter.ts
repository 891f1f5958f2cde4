import type { SerializedError } from 'vitest';
import type { Reporter, TestCase, TestModule, TestRunEndReason, TestSuite } from 'vitest/node';

/**
 * The closing lines of a run, in plain text:
 *
 *     skipped 91 tests of test/differential/live.test.ts: needs qemu-storage-daemon (apt-get install …)
 *     2800 passed, 0 failed, 1 expected fail (an it.fails test failing as it should; not in "passed"), 6 skipped
 *     2800 passed, 0 failed
 *
 * One line per group of skipped tests: a test file and the reason its tests give, from
 * `ctx.skip(reason)` or from `(skipped: reason)` / `(excluded: reason)` at the end of the title of
 * the test or of a suite around it. Then every count. The last line, `N passed, N failed`, is the
 * one CI reads: "failed" there also counts the test files that failed outside their tests (not
 * loaded, a hook threw) and the errors outside any test, so that it is 0 only when the run is
 * green.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>, reason: TestRunEndReason): void {
    const counts = count(testModules);
    const lines = [...skippedLines(counts.skipped), detailLine(counts, unhandledErrors.length, reason)];
    const failed = counts.failed + counts.failedFiles + unhandledErrors.length;
    process.stdout.write(`\n${lines.join('\n')}\n${counts.passed} passed, ${failed} failed\n`);
  }
}

interface Counts {
  passed: number;
  failed: number;
  /** it.fails tests that failed, as they should. */
  expectedFail: number;
  /** Test files that failed outside their tests. */
  failedFiles: number;
  skipped: TestCase[];
}

function count(testModules: ReadonlyArray<TestModule>): Counts {
  const counts: Counts = { passed: 0, failed: 0, expectedFail: 0, failedFiles: 0, skipped: [] };
  for (const module of testModules) {
    let failedHere = 0;
    for (const test of module.children.allTests()) {
      const state = test.result().state;
      if (state === 'passed' && test.options.fails) counts.expectedFail++;
      else if (state === 'passed') counts.passed++;
      else if (state === 'failed') failedHere++;
      else counts.skipped.push(test);
    }
    counts.failed += failedHere;
    if (module.state() === 'failed' && failedHere === 0) counts.failedFiles++;
  }
  return counts;
}

/** `(skipped: why)` or `(excluded: why)` closing a title; the why may hold parentheses. */
const TITLE_REASON = /\((skipped|excluded): (.*)\)\s*$/s;
const MAX_REASON = 160;

function reasonOf(test: TestCase): string {
  const result = test.result();
  if (result.state === 'pending') return 'not run: the run ended first';
  if (result.state === 'skipped' && result.note) return result.note;
  for (let at: TestCase | TestSuite | TestModule = test; at.type !== 'module'; at = at.parent) {
    const found = TITLE_REASON.exec(at.name);
    if (found) return found[1] === 'excluded' ? `excluded: ${found[2]}` : found[2]!;
  }
  if (test.options.mode === 'todo') return 'todo';
  return 'no reason in its title (end the title with "(skipped: why)")';
}

const oneLine = (text: string): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_REASON ? `${flat.slice(0, MAX_REASON - 1)}…` : flat;
};

const tests = (n: number): string => `${n} test${n === 1 ? '' : 's'}`;

/** One line per test file and reason, in the order the tests came. */
function skippedLines(skipped: readonly TestCase[]): string[] {
  const groups = new Map<string, { file: string; reason: string; n: number }>();
  for (const test of skipped) {
    const file = test.module.relativeModuleId;
    const reason = oneLine(reasonOf(test));
    const key = `${file}\n${reason}`;
    const group = groups.get(key) ?? { file, reason, n: 0 };
    group.n++;
    groups.set(key, group);
  }
  return [...groups.values()].map((g) => `skipped ${tests(g.n)} of ${g.file}: ${g.reason}`);
}

function detailLine(counts: Counts, unhandled: number, reason: TestRunEndReason): string {
  const parts = [`${counts.passed} passed`, `${counts.failed} failed`];
  if (counts.expectedFail > 0) {
    parts.push(`${counts.expectedFail} expected fail (${counts.expectedFail === 1 ? 'an it.fails test' : 'it.fails tests'} failing as it should; not in "passed")`);
  }
  parts.push(`${counts.skipped.length} skipped`);
  const more: string[] = [];
  if (counts.failedFiles > 0) more.push(counts.failedFiles === 1 ? '1 test file failed outside its tests' : `${counts.failedFiles} test files failed outside their tests`);
  if (unhandled > 0) more.push(`${unhandled} error${unhandled === 1 ? '' : 's'} outside any test`);
  const extra = more.length > 0 ? `; ${more.join(', ')} (counted as failed below)` : '';
  return `${parts.join(', ')}${extra}${reason === 'interrupted' ? '; the run was interrupted' : ''}`;
}
