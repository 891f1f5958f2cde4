/** A run as a readable trace, or as JSON. */
import { formatViolation } from '../invariants/index.js';
import { permFromQmpList, permMask } from '../perms/perm.js';
import type { Change, EdgeParent, EdgePerms, EdgeRef } from './diff.js';
import { stateText } from './legend.js';
import type { RunResult, StepRecord } from './run.js';

export function stepTitle(record: StepRecord): string {
  const { step } = record;
  if ('execute' in step) return `${step.execute}${step.arguments ? ` ${JSON.stringify(step.arguments)}` : ''}`;
  if ('wait-event' in step) return `wait-event ${step['wait-event']}${step.data ? ` ${JSON.stringify(step.data)}` : ''}`;
  if ('wait-job' in step) return `wait-job ${step['wait-job']} ${step.status.join('|')}`;
  if ('advance' in step) return `advance ${step.advance}s`;
  if ('chmod' in step) return `chmod ${step.chmod[0]} ${step.chmod[1]}`;
  if ('chattr' in step) return `chattr ${step.chattr[1]} ${step.chattr[0]}`;
  if ('qemu-nbd' in step) return `qemu-nbd ${step['qemu-nbd'].args.join(' ')}`;
  if ('qemu-storage-daemon' in step) return `qemu-storage-daemon ${step['qemu-storage-daemon'].args.join(' ')}`;
  if ('qemu-nbd-stop' in step) return `qemu-nbd-stop ${step['qemu-nbd-stop']}`;
  return `sleep ${step.sleep}s`;
}

/** How the trace names an edge's parent: `base`, `export guest`, `job c1`, `job c1 backend`. */
export function parentText(parent: EdgeParent): string {
  switch (parent.kind) {
    case 'node':
      return parent.name;
    case 'job-backend':
      return `job ${parent.name} backend`;
    case 'backend':
      return `backend ${parent.name}${parent.purpose ? ` (${parent.purpose})` : ''}`;
    default:
      return `${parent.kind} ${parent.name}`;
  }
}

/** `base -file-> base-file`. */
export const edgeText = (edge: EdgeRef): string => `${parentText(edge.parent)} -${edge.name}-> ${edge.child}`;

/** PERM/SHARED as two masks: `wr_s/_ru_`. */
export const permsText = (perms: EdgePerms): string => `${permMask(permFromQmpList(perms.perm))}/${permMask(permFromQmpList(perms.shared))}`;

export function changeLine(change: Change): string {
  switch (change.kind) {
    case 'node-added':
      return `+ node ${change.node} (${change.driver}): ro ${change.ro}${change.openMode ? `, ${change.openMode}` : ''}, ${stateText(change.state)}`;
    case 'node-removed':
      return `- node ${change.node} (${change.driver})`;
    case 'ro':
      return `ro   ${change.node}: ${change.from} -> ${change.to}, ${stateText(change.state)}`;
    case 'open-mode':
      return `open ${change.path} (${change.node}): ${change.from} -> ${change.to}`;
    case 'edge-moved':
      return `edge ${edgeText(change.edge)} now -> ${change.to} (${permsText(change.perms)})`;
    case 'edge':
      return `edge ${edgeText(change.edge)}: ${change.from ? permsText(change.from) : 'none'} -> ${change.to ? permsText(change.to) : 'gone'}`;
  }
}

export function formatText(result: RunResult, file: string): string {
  const lines = [`# ${file} (model ${result.model})`];
  for (const record of result.steps) {
    if (record.step.note) lines.push(`  # ${record.step.note}`);
    lines.push(`[${record.index}] ${stepTitle(record)}`);
    const reply = record.reply;
    if (reply) {
      lines.push(
        'error' in reply
          ? `    => error ${reply.error.class}: ${reply.error.desc}`
          : `    => ${JSON.stringify(reply.return) === '{}' ? 'ok' : JSON.stringify(reply.return)}`,
      );
    }
    for (const e of record.events) lines.push(`    event ${e.event} ${JSON.stringify(e.data)}`);
    for (const warning of record.warnings ?? []) lines.push(`    warning: ${warning}`);
    for (const change of record.changes) lines.push(`    ${changeLine(change)}`);
    if (record.check) lines.push(`    ${record.check.ok ? 'ok' : 'FAILED'}: ${record.check.message}`);
    for (const v of record.violations ?? []) lines.push(`    INVARIANT ${formatViolation(v)}`);
  }
  const failed = result.steps.filter((s) => s.check?.ok === false).length;
  const broken = result.steps.reduce((n, s) => n + (s.violations?.length ?? 0), 0);
  lines.push(
    `${result.steps.length} steps, ${failed} expectation${failed === 1 ? '' : 's'} failed` +
      (result.invariantsChecked ? `, ${broken} invariant violation${broken === 1 ? '' : 's'}` : ''),
  );
  return `${lines.join('\n')}\n`;
}

export function formatJson(result: RunResult, file: string): string {
  return `${JSON.stringify(
    {
      file,
      model: result.model,
      ok: result.ok,
      steps: result.steps.map(({ index, step, reply, events, warnings, changes, check, violations }) => ({
        index,
        step,
        ...(reply ? { reply } : {}),
        events,
        ...(warnings ? { warnings } : {}),
        changes,
        ...(check ? { check } : {}),
        ...(violations?.length ? { violations } : {}),
      })),
    },
    null,
    1,
  )}\n`;
}
