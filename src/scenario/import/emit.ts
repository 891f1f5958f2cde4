/**
 * An imported scenario as text. YAML (the `yaml` package) with the header as comment lines at the
 * top, each file's assumptions as comments over the setup step that makes it, and arguments,
 * expectations, event data and setup arguments on one line each, as the examples are written.
 * JSON has no comments: the file as data, a setup step or step a line.
 */
import { Document, isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Model } from '../../../machines/node.types.js';
import type { SetupEntry } from './setup.js';
import type { ImportedStep } from './steps.js';

export interface ImportedScenario {
  readonly name: string;
  readonly description: string;
  readonly model: Model;
  readonly setup?: readonly SetupEntry[];
  readonly steps: readonly ImportedStep[];
}

const FLOW_KEYS = new Set(['arguments', 'expect', 'data', 'status', 'qemu-img', 'chmod', 'chattr']);

const commentText = (lines: readonly string[]): string => lines.map((line) => ` ${line}`).join('\n');

function flowChildren(node: Node | null): void {
  if (!isMap(node)) return;
  for (const pair of node.items) {
    if (isScalar(pair.key) && FLOW_KEYS.has(String(pair.key.value)) && (isMap(pair.value) || isSeq(pair.value))) pair.value.flow = true;
  }
}

export function toYaml(scenario: ImportedScenario, header: readonly string[], setupComments: Readonly<Record<number, string[]>>): string {
  const doc = new Document(scenario);
  doc.commentBefore = commentText(header);
  const setup = doc.get('setup', true);
  if (isSeq(setup)) {
    setup.items.forEach((item, i) => {
      flowChildren(item as Node);
      const comments = setupComments[i];
      if (comments?.length && isMap(item)) item.commentBefore = commentText(comments);
    });
  }
  const steps = doc.get('steps', true);
  if (isSeq(steps)) for (const step of steps.items) flowChildren(step as Node);
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

export function toJson(scenario: ImportedScenario): string {
  const lines = ['{'];
  const entries = Object.entries(scenario);
  entries.forEach(([key, value], i) => {
    const comma = i < entries.length - 1 ? ',' : '';
    if (key === 'steps' || key === 'setup') {
      const items = (value as unknown[]).map((v) => JSON.stringify(v));
      lines.push(`  ${JSON.stringify(key)}: [`, ...items.map((item, j) => `    ${item}${j < items.length - 1 ? ',' : ''}`), `  ]${comma}`);
    } else lines.push(`  ${JSON.stringify(key)}: ${JSON.stringify(value)}${comma}`);
  });
  return `${lines.join('\n')}\n}\n`;
}
