/**
 * What the fuzzer's generator believes exists while it writes a sequence: the images of the
 * setup, the nodes it added (with the options it gave, for a reopen), exports, throttle groups and
 * jobs. It believes every command it wrote succeeded; when one did not, both sides refuse what
 * follows alike, which is fine for a comparison.
 */
import type { Step } from '../scenario/schema.js';
import type { Random } from './random.js';

export type NodeKind = 'file' | 'format' | 'filter' | 'null' | 'nbd';

export interface WorldNode {
  readonly name: string;
  readonly kind: NodeKind;
  /** The options it was added with, `node-name` included. */
  readonly options: Record<string, unknown>;
}

/** The images every sequence starts with (made by the setup), by their role. */
export const IMAGES = {
  base: '$W/base.qcow2',
  mid: '$W/mid.qcow2',
  top: '$W/top.qcow2',
  target: '$W/tgt.qcow2',
  raw: '$W/disk.img',
  readOnly: '$W/ro.img',
  /** Made immutable (chattr +i) and writable again between commands. */
  immutable: '$W/imm.qcow2',
  /** Under a read-only bind mount of $W/rw. */
  mounted: '$W/romnt/mnt.qcow2',
} as const;

export class World {
  readonly nodes = new Map<string, WorldNode>();
  readonly exports: string[] = [];
  readonly groups: string[] = [];
  /** Secret objects (luks key-secret). */
  readonly secrets: string[] = [];
  readonly jobs: string[] = [];
  /** The ids chardev-add was asked for. */
  readonly chardevs: string[] = [];
  readonly steps: Step[] = [];
  nbdStarted = false;
  /** The iothread object `io0` was added. */
  iothread = false;
  /** The setup's qemu-nbd servers that a step stopped (and none started again). */
  readonly stoppedServers = new Set<string>();
  private counter = 0;

  constructor(readonly random: Random) {}

  fresh(prefix: string): string {
    return `${prefix}${this.counter++}`;
  }

  add(step: Step): void {
    this.steps.push(step);
  }

  nodesOf(...kinds: NodeKind[]): WorldNode[] {
    return [...this.nodes.values()].filter((node) => kinds.includes(node.kind));
  }

  /** A node of these kinds, or a name nobody added (a share of refusals). */
  someNode(...kinds: NodeKind[]): string {
    const nodes = this.nodesOf(...kinds);
    if (nodes.length === 0 || this.random.chance(0.05)) return this.random.pick(['nosuch', 'f0', 'top']);
    return this.random.pick(nodes).name;
  }

  someJob(): string {
    return this.jobs.length === 0 || this.random.chance(0.1) ? 'nojob' : this.random.pick(this.jobs);
  }
}
