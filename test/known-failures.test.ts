/**
 * Where qemu-storage-daemon is known to abort or crash, permgraph goes on and warns: each model's
 * known failures (src/models/rules.ts) are exactly the crashes its daemon's recordings show, and
 * permgraph warns at the very step the daemon died on, in that model only.
 */
import { describe, expect, it } from 'vitest';
import { QEMU_MODELS } from '../src/diff/versions.js';
import { rulesOf } from '../src/models/rules.js';
import { createPermgraph } from '../src/index.js';
import { playScenario } from '../src/scenario/play.js';
import type { GraphEvent } from '../src/core/events.js';
import { corpusOf } from './support/corpus.js';

/** The corpus scenarios that show each failure on the daemon. */
const EVIDENCE: Readonly<Record<string, readonly string[]>> = {
  'null-co-negative-size': ['crash-null-co-negative-size'],
  'stream-concluded-kept': ['job-stream-whole-chain-crash', 'crash-stream-with-base-concluded'],
  'inactivate-inactive-child': ['crash-inactivate-inactive-child', 'crash-inactivate-child-held-twice'],
  'resize-through-replication': ['crash-resize-through-replication'],
  'mirror-onto-blkverify': ['crash-mirror-onto-blkverify'],
  'attach-iothread-child': ['crash-attach-iothread-child', 'crash-attach-child-after-failed-iothread-export', 'crash-attach-child-of-iothread-export', 'crash-attach-iothread-file-probe'],
  'resize-iothread-node': ['crash-at-exit-resize-iothread-node'],
  'internal-snapshot-of-freed-overlay': [
    'crash-transaction-internal-snapshot-of-freed-overlay',
    'crash-transaction-internal-snapshot-aborted-overlay',
    'crash-transaction-snapshot-of-aborted-overlay',
    'crash-transaction-overlay-onto-aborted-overlay',
  ],
};

describe('known QEMU failures', () => {
  for (const model of QEMU_MODELS) {
    it(`${model}: every crash of its daemon in the corpus is a known failure, warned of at the step it died on`, () => {
      const crashed = corpusOf(model).filter((e) => e.trace.daemon_killed_by);
      const warned = crashed.map((entry) => {
        const result = playScenario(entry.scenario, entry.file, model, 'virtual');
        try {
          const died = Number(/^step (\d+):/.exec(entry.trace.aborted ?? '')?.[1]);
          const step = result.steps.find((s) => s.warnings?.length);
          return { name: entry.name, warnedAt: step?.index, died, text: step?.warnings?.[0] ?? '' };
        } finally {
          result.permgraph.dispose();
        }
      });
      expect(warned.map((w) => w.name).sort()).toEqual(rulesOf(model).knownFailures.flatMap((f) => EVIDENCE[f] ?? []).sort());
      for (const w of warned) {
        // a crash at an observation after the step (query-named-block-nodes) counts for that step;
        // one with every step answered came as the daemon quit
        const atExit = Number.isNaN(w.died);
        expect([w.name, w.warnedAt !== undefined && (atExit || w.warnedAt <= w.died)]).toEqual([w.name, true]);
        const when = atExit ? 'would die when it quits' : 'would die here';
        expect(w.text).toMatch(new RegExp(`^QEMU ${rulesOf(model).qemu!.major}\\.${rulesOf(model).qemu!.minor} ${when}: `));
      }
    });
  }

  for (const model of QEMU_MODELS) {
    it(`${model}: answers the aborted blockdev-add with the text its daemon printed as it died`, () => {
      const entry = corpusOf(model).find((e) => e.name === 'crash-null-co-negative-size')!;
      const result = playScenario(entry.scenario, entry.file, model, 'virtual');
      const reply = result.steps[1]!.reply as { error: { desc: string } };
      result.permgraph.dispose();
      expect(entry.trace.daemon_output_tail).toContain(`\n${reply.error.desc}\n`);
    });
  }

  it('the dynamic model warns of nothing, and answers all the same', () => {
    for (const model of ['dynamic', 'qemu-7.2', 'qemu-10.0'] as const) {
      const permgraph = createPermgraph({ model });
      const events: GraphEvent[] = [];
      permgraph.events$.subscribe((e) => events.push(e));
      const reply = permgraph.execute({ execute: 'blockdev-add', arguments: { driver: 'null-co', 'node-name': 'n', size: -1 } });
      // the text the daemon printed as it aborted (its output tail in the corpus's traces)
      const desc = model === 'qemu-10.0' ? "Value '-1' is out of range for parameter 'size'" : "Parameter 'size' expects a non-negative number below 2^64";
      expect(reply).toEqual({ error: { class: 'GenericError', desc } });
      expect(events.filter((e) => e.type === 'qemu.failure').map((e) => (e as { failure: string }).failure)).toEqual(model === 'dynamic' ? [] : ['null-co-negative-size']);
      expect(permgraph.graph.nodes).toEqual(createPermgraph({ model }).graph.nodes);
      permgraph.dispose();
    }
  });
});
