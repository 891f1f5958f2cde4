/**
 * Every recorded daemon trace of the corpus replayed on permgraph in the model that follows its
 * daemon (qemu-7.2 for NAME.trace.json, qemu-10.0 for NAME.qemu-10.0.trace.json; virtual files,
 * in process, no QEMU needed): the normalized traces are equal, except for exactly the differences
 * docs/fidelity.md lists.
 */
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/run-command.js';
import { modelOfTrace, QEMU_MODELS } from '../../src/diff/versions.js';
import { rulesOf } from '../../src/models/rules.js';
import { CORPUS, corpusOf, KNOWN_DIFFERENCES, knownDifferences, permgraphDifferences } from '../support/corpus.js';

describe('the recorded corpus replayed on permgraph, each trace in its own model', () => {
  for (const model of QEMU_MODELS) {
    it(`has at least 60 scenarios of its own, each recorded on the daemon ${model} follows`, () => {
      const own = corpusOf(model).filter((e) => e.from === 'corpus');
      expect(own.length).toBeGreaterThanOrEqual(60);
      const { major, minor } = rulesOf(model).qemu!;
      for (const { name, trace } of own) expect([name, (trace.qemu as { qemu?: unknown } | null)?.qemu]).toEqual([name, { major, minor, micro: expect.any(Number) }]);
      for (const { name, trace } of own) expect([name, modelOfTrace(trace)]).toEqual([name, model]);
    });
  }

  it('every scenario of the corpus and every example is recorded on every QEMU version', () => {
    const missing = CORPUS.filter((e) => e.from !== 'oracle' || e.model === QEMU_MODELS[0])
      .flatMap((e) => QEMU_MODELS.filter((model) => !CORPUS.some((o) => o.file === e.file && o.model === model)).map((model) => `${e.name}: ${model}`));
    expect([...new Set(missing)]).toEqual([]);
  });

  it('lists differences only for scenarios that exist', () => {
    const names = new Set(CORPUS.map((e) => e.name));
    for (const listed of Object.values(KNOWN_DIFFERENCES)) expect(Object.keys(listed).filter((n) => !names.has(n))).toEqual([]);
  });

  for (const entry of CORPUS) {
    it(`${entry.name} (${entry.from}, ${entry.model}): permgraph agrees with the recording${knownDifferences(entry) ? ' but for the listed differences' : ''}`, () => {
      expect(permgraphDifferences(entry, entry.trace)).toEqual(knownDifferences(entry) ?? []);
    });
  }
});

describe('the corpus files as plain scenarios', () => {
  it('each runs with permgraph run on virtual storage, every wait met, in every QEMU model', () => {
    const own = corpusOf(QEMU_MODELS[0]!).filter((e) => e.from === 'corpus');
    const failed = QEMU_MODELS.flatMap((model) => own.filter((e) => runCommand(e.file, { model, format: 'json', storage: 'virtual' }, () => undefined) !== 0).map((e) => `${e.name} (${model})`));
    expect(failed).toEqual([]);
  });
});
