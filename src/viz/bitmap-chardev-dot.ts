/**
 * What the block graph's drawing adds for dirty bitmaps and character devices: a line per bitmap
 * in its node's label (they decide what the node allows: a persistent bitmap needs a writable
 * qcow2 image, an enabled one keeps an export from being read-only, a busy one refuses changes),
 * the persistent bitmaps a file node's image stores, and the chardevs as small notes in a
 * cluster of their own, a QMP monitor's with a dotted line from the monitor that uses it.
 */
import type { NodeView, StepView } from './step-view.js';
import { dotString } from './machine-chart.js';

/** `bitmap NAME: enabled|disabled[, persistent][, read-only][, busy]`. */
export function bitmapLines(node: NodeView): string[] {
  const lines = (node.bitmaps ?? []).map((b) => {
    const flags = [b.enabled ? 'enabled' : 'disabled', b.persistent ? 'persistent' : '', b.readonly ? 'read-only' : '', b.busy ? 'busy' : ''];
    return `bitmap ${b.name}: ${flags.filter(Boolean).join(', ')}`;
  });
  const stored = node.storedBitmaps ?? [];
  if (stored.length > 0) lines.push(`image stores: ${stored.map((s) => `${s.name}${s.auto ? ' (auto)' : ''}`).join(', ')}`);
  return lines;
}

/** The classes a node with bitmaps gets besides its own: `bitmaps`, and `bitmap-busy` when one is busy. */
export function bitmapClasses(node: NodeView): string[] {
  if (!node.bitmaps?.length) return [];
  return ['bitmaps', ...(node.bitmaps.some((b) => b.busy) ? ['bitmap-busy'] : [])];
}

export const chardevVertex = (id: string): string => `chardev:${id}`;

/** A chardev's label: its id, its backend, and QEMU's filename for it when that says more. */
function chardevLabel(chardev: NonNullable<StepView['chardevs']>[number]): string {
  const lines = [chardev.id, chardev.backend];
  if (chardev.filename && chardev.filename !== chardev.backend) lines.push(chardev.filename);
  return lines.join('\n');
}

/** The chardevs' cluster (nothing when the step has none). */
export function chardevCluster(step: StepView): string[] {
  const chardevs = step.chardevs ?? [];
  if (chardevs.length === 0) return [];
  const lines = ['  subgraph "cluster_chardevs" {', '    label="chardevs"; style="rounded,dashed"; color="#90a4ae"; fontname="Helvetica"; fontsize=10;'];
  for (const chardev of chardevs) {
    const id = chardevVertex(chardev.id);
    const classes = ['chardev', ...(chardev.monitor ? ['monitor'] : [])].join(' ');
    lines.push(`    ${dotString(id)} [shape=note, fontsize=9, class="${classes}", fillcolor="#e8f5e9", label=${dotString(chardevLabel(chardev))}];`);
    if (!chardev.monitor) continue;
    const monitor = `monitor:${chardev.id}`;
    lines.push(`    ${dotString(monitor)} [shape=box, style="rounded", fontsize=9, label="QMP monitor"];`);
    lines.push(`    ${dotString(monitor)} -> ${dotString(id)} [style=dotted, arrowhead=none, fontsize=8, label="frontend"];`);
  }
  lines.push('  }');
  return lines;
}
