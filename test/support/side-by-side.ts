/**
 * A scenario side by side in the two models, as docs/dynamic-model.md shows it: each step's
 * reply and the `ro` flags and descriptor modes it changed, in model dynamic (simulated) and on
 * qemu-storage-daemon 7.2 (its recording), as a Markdown table.
 */
import { readFileSync } from 'node:fs';
import { simulate } from '../../src/diff/simulate.js';
import { readScenarioFile } from '../../src/diff/scenario-file.js';
import { tracePathFor } from '../../src/diff/versions.js';
import type { Observation, Trace, TraceStep } from '../../src/diff/trace.js';

type Flags = ReadonlyMap<string, string>;

/** Named nodes' `ro` and the files' open modes of an observation. */
function flagsOf(obs: Observation | undefined, workdir: string): Flags {
  const flags = new Map<string, string>();
  if (!obs) return flags;
  for (const node of Array.isArray(obs.nodes) ? obs.nodes : []) {
    if (!node['node-name'].startsWith('#')) flags.set(node['node-name'], node.ro ? 'ro' : 'rw');
  }
  for (const fd of Array.isArray(obs.fds) ? obs.fds : []) flags.set(fd.path.replace(`${workdir}/`, ''), fd.mode === 'O_RDWR' ? 'RDWR' : 'RDONLY');
  return flags;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|');

/** What a step did: its reply, then each flag it changed (`base rw→ro`, `a.img RDONLY→RDWR`, `+f0 ro`). */
function outcome(step: TraceStep, before: Flags, after: Flags, workdir: string): string {
  const parts: string[] = [];
  if (step.error) parts.push(`**${step.error.desc.replaceAll(workdir, '$W')}**`);
  else if (step.execute) parts.push('ok');
  else if (step.status) parts.push(step.status);
  for (const [name, now] of after) {
    const was = before.get(name);
    if (was !== now) parts.push(`\`${name}\` ${was ? `${was}→` : '+'}${now}`);
  }
  return cell(parts.join(', ') || '—');
}

const label = (step: TraceStep): string => {
  if (step.execute) return `\`${step.execute}\``;
  for (const key of ['wait-job', 'wait-event', 'chmod', 'chattr', 'qemu-nbd', 'qemu-storage-daemon', 'qemu-nbd-stop', 'sleep', 'advance'] as const) {
    if (key in step) return `\`${key}\``;
  }
  return '';
};

/** The table for the scenario in `file` (its recording beside it, or in `recording`). */
export function sideBySide(file: string, recording = tracePathFor(file)): string {
  const entry = readScenarioFile(file);
  const recorded = JSON.parse(readFileSync(recording, 'utf8')) as Trace;
  const dynamic = simulate(entry.scenario, entry.name, { model: 'dynamic', file });
  const rows = ['| # | step | model dynamic | QEMU 7.2 (recorded) |', '|---|---|---|---|'];
  let [dynBefore, qemuBefore] = [flagsOf(dynamic.initial ?? undefined, dynamic.workdir), flagsOf(recorded.initial ?? undefined, recorded.workdir)];
  recorded.steps.forEach((step, i) => {
    const dynStep = dynamic.steps[i]!;
    const [dynAfter, qemuAfter] = [flagsOf(dynStep.obs ?? undefined, dynamic.workdir), flagsOf(step.obs ?? undefined, recorded.workdir)];
    const what = `${label(step)}${step.note ? ` ${cell(step.note)}` : ''}`;
    rows.push(`| ${i} | ${what} | ${outcome(dynStep, dynBefore, dynAfter, dynamic.workdir)} | ${outcome(step, qemuBefore, qemuAfter, recorded.workdir)} |`);
    [dynBefore, qemuBefore] = [dynAfter, qemuAfter];
  });
  return `${rows.join('\n')}\n`;
}
