/**
 * Every recorded daemon trace of the corpus replayed on permgraph (model qemu-7.2, virtual files,
 * in process, no QEMU needed): the normalized traces are equal, except for exactly the
 * differences docs/fidelity.md lists.
 */
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/run-command.js';
import { CORPUS, KNOWN_DIFFERENCES, permgraphDifferences } from '../support/corpus.js';

describe('the recorded corpus replayed on permgraph --model qemu-7.2', () => {
  it('has at least 60 scenarios of its own, each with a trace of qemu-storage-daemon 7.2', () => {
    const own = CORPUS.filter((e) => e.from === 'corpus');
    expect(own.length).toBeGreaterThanOrEqual(60);
    for (const { name, trace } of own) expect([name, (trace.qemu as { qemu?: { major?: number; minor?: number } } | null)?.qemu]).toEqual([name, { major: 7, minor: 2, micro: expect.any(Number) }]);
  });

  it('lists differences only for scenarios that exist', () => {
    const names = new Set(CORPUS.map((e) => e.name));
    expect(Object.keys(KNOWN_DIFFERENCES).filter((n) => !names.has(n))).toEqual([]);
  });

  for (const entry of CORPUS) {
    it(`${entry.name} (${entry.from}): permgraph agrees with the recording${KNOWN_DIFFERENCES[entry.name] ? ' but for the listed differences' : ''}`, () => {
      expect(permgraphDifferences(entry, entry.trace)).toEqual(KNOWN_DIFFERENCES[entry.name] ?? []);
    });
  }
});

describe('the corpus files as plain scenarios', () => {
  it('each runs with permgraph run on virtual storage, every wait met', () => {
    const failed = CORPUS.filter((e) => e.from === 'corpus').filter((e) => runCommand(e.file, { model: 'qemu-7.2', format: 'json', storage: 'virtual' }, () => undefined) !== 0);
    expect(failed.map((e) => e.name)).toEqual([]);
  });
});
