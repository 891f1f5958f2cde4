/**
 * One graph-changing primitive, QEMU-style: change links first (the `*Noperm` methods), then
 * `refresh()` the permissions of every node whose inputs changed, parents before children. It
 * works on a copy-on-write draft of the snapshot (src/core/draft.ts), so a throw anywhere leaves
 * the base untouched.
 */
import type { Draft } from 'immer';
import type { NodeEvent, NodeStep, NodeStepper } from '../../machines/node.types.js';
import { cumulativePerm } from '../perms/cumulative.js';
import { PERM_ALL, PERM_BITS, permNames, type PermSet } from '../perms/perm.js';
import { WRITE_PERMS } from '../perms/writers.js';
import { DRIVERS, type DriverPolicies, type DriverPolicy } from '../drivers/policies.js';
import { describeParent, getNode, parentLabel } from '../graph/graph.js';
import { deleteShard, getShard, setShard } from '../graph/shards.js';
import { beginDraft, finishDraft } from './draft.js';
import type { Backend, BlockNode, DriverName, Edge, EdgeId, FdMode, Graph, NodeName, ParentRef } from '../graph/types.js';
import type { Storage } from '../storage/storage.js';
import { fail, QmpError } from '../messages/errors.js';
import type { GraphEvent } from './events.js';
import { msg } from '../messages/messages.js';

export interface TxEnv {
  readonly storage: Storage;
  readonly stepper: NodeStepper;
  /** The driver policies (DRIVERS unless a variant is given). */
  readonly drivers?: DriverPolicies;
}

/** A refusal raised inside a transaction, with the events seen before it (reopen.failed, …). */
export class TxError extends QmpError {
  constructor(
    cause: QmpError,
    readonly events: readonly GraphEvent[],
    /** What a refused command still leaves behind (only QEMU quirks do that); else none. */
    readonly residue?: Graph,
  ) {
    super(cause.errorClass, cause.desc);
  }
}

export interface TxResult {
  readonly graph: Graph;
  readonly events: readonly GraphEvent[];
  /** The nodes the refresh looked at, in order (what a change cost). */
  readonly refreshed: readonly NodeName[];
}

/** Runs `recipe` on a draft of `base`: the new snapshot and its events, or a TxError. */
export function transact(base: Graph, env: TxEnv, recipe: (tx: Tx) => void): TxResult {
  const draft = beginDraft(base);
  const tx = new Tx(draft, base, env);
  try {
    recipe(tx);
    tx.refresh();
  } catch (error) {
    if (error instanceof QmpError) throw new TxError(error, tx.events);
    throw error;
  }
  return { graph: finishDraft(draft, base), events: tx.events, refreshed: tx.refreshed };
}

/** A node's own copy, lists and file record included: what a transaction may change in place. */
const copyNode = (node: BlockNode): DraftNode =>
  ({ ...node, parents: [...node.parents], children: [...node.children], file: node.file ? { ...node.file } : null }) as DraftNode;

type DraftNode = Draft<BlockNode>;
type DraftEdge = Draft<Edge>;

/** What opening a node decides about it (with its read-only options, for its chart); the rest starts empty. */
export type NewNode = Pick<BlockNode, 'name' | 'generated' | 'driver' | 'options' | 'forceShare' | 'monitorOwned' | 'inheritsFrom' | 'implicit'> & {
  readonly readOnly: boolean;
  readonly autoReadOnly: boolean;
};

export class Tx {
  readonly events: GraphEvent[] = [];
  readonly refreshed: NodeName[] = [];
  private readonly dirty = new Set<NodeName>();
  /**
   * The transaction's own copies of nodes, edges and backends (made the first time it asks to
   * change one) and the ones it created: everything else in the draft is the base's, only read.
   */
  private readonly own = new Set<object>();
  private queue: HeightQueue | undefined;

  constructor(
    readonly g: Draft<Graph>,
    readonly base: Graph,
    readonly env: TxEnv,
  ) {}

  // ---------------------------------------------------------------- lookups

  /** A node to change: the transaction's own copy. */
  node(name: NodeName): DraftNode | undefined {
    const current = getShard(this.g.nodes, name);
    if (!current || this.own.has(current)) return current;
    const node = copyNode(current);
    setShard(this.g.nodes, name, node);
    this.own.add(node);
    return node;
  }

  /** A node to read only (no copy made). */
  peekNode(name: NodeName): BlockNode | undefined {
    return getShard(this.g.nodes, name);
  }

  /** A node to read only; it must exist. */
  mustPeekNode(name: NodeName): BlockNode {
    const node = this.peekNode(name);
    if (!node) throw new Error(`internal: node '${name}' is missing`);
    return node;
  }

  mustNode(name: NodeName): DraftNode {
    const node = this.node(name);
    if (!node) throw new Error(`internal: node '${name}' is missing`);
    return node;
  }

  /** An edge to change: the transaction's own copy. */
  edge(id: EdgeId): DraftEdge {
    const current = this.peekEdge(id) as DraftEdge;
    if (this.own.has(current)) return current;
    const edge = { ...current };
    setShard(this.g.edges, String(id), edge);
    this.own.add(edge);
    return edge;
  }

  /** An edge to read only (no copy made). */
  peekEdge(id: EdgeId): Edge {
    const edge = getShard(this.g.edges, String(id));
    if (!edge) throw new Error(`internal: edge ${id} is missing`);
    return edge;
  }

  /** A backend to change: the transaction's own copy. */
  backend(id: number): Draft<Backend> | undefined {
    const current = getShard(this.g.backends, String(id));
    if (!current || this.own.has(current)) return current;
    const backend = { ...current };
    setShard(this.g.backends, String(id), backend);
    this.own.add(backend);
    return backend;
  }

  private label(parent: ParentRef): string {
    return parentLabel(this.g as Graph, parent);
  }

  /** The file nodes of one file (read only). */
  private fileUsers(identity: string): readonly NodeName[] {
    return getShard(this.g.fileUsers, identity) ?? [];
  }

  policy(driver: DriverName): DriverPolicy {
    return (this.env.drivers ?? DRIVERS)[driver];
  }

  emit(event: GraphEvent): void {
    this.events.push(event);
  }

  nextSeq(): number {
    return this.g.counters.seq++;
  }

  // ---------------------------------------------------------------- nodes

  /**
   * Adds a node that was just opened: not yet linked, its machine at its start, with these
   * options and flags. Sends the machine `open`.
   */
  openNode(fields: NewNode): void {
    const { readOnly, autoReadOnly } = fields;
    const holdsFd = this.policy(fields.driver).holdsFd;
    const initial = this.env.stepper.initial({ model: this.g.model, holdsFd, readOnly, autoReadOnly });
    // one literal (not a spread): every node gets the same shape
    this.insertNode({
      name: fields.name,
      generated: fields.generated,
      driver: fields.driver,
      options: fields.options,
      readOnly: initial.readOnly,
      forceShare: fields.forceShare,
      monitorOwned: fields.monitorOwned,
      inheritsFrom: fields.inheritsFrom,
      implicit: fields.implicit,
      seq: this.nextSeq(),
      machine: initial.state,
      file: null,
      filename: '',
      size: 0,
      parents: [],
      children: [],
      height: 0,
    });
  }

  addNode(node: BlockNode): void {
    this.insertNode(copyNode(node));
  }

  /** addNode() of a node object the transaction owns already. */
  private insertNode(node: DraftNode): void {
    setShard(this.g.nodes, node.name, node);
    this.own.add(node);
    if (node.file) this.indexFile(node.name);
    this.emit({ type: 'node.added', node: node.name, driver: node.driver, machine: node.machine.context });
    this.stepMachine(node, { type: 'open' });
    this.dirty.add(node.name);
  }

  /** Records a file node among the users of its file (their lock bytes meet). */
  indexFile(name: NodeName): void {
    const identity = this.mustPeekNode(name).file!.identity;
    const users = getShard(this.g.fileUsers, identity) ?? [];
    setShard(this.g.fileUsers, identity, [...users, name]);
  }

  /** Closes a node that has no parents left: its children are detached first. */
  removeNode(name: NodeName): void {
    const node = this.mustNode(name);
    if (node.parents.length > 0) throw new Error(`internal: removing '${name}' with parents`);
    for (const id of [...node.children]) this.detachNoperm(id);
    this.stepMachine(node, { type: 'close' });
    if (node.file) {
      const users = (getShard(this.g.fileUsers, node.file.identity) ?? []).filter((n) => n !== name);
      if (users.length) setShard(this.g.fileUsers, node.file.identity, users);
      else deleteShard(this.g.fileUsers, node.file.identity);
    }
    deleteShard(this.g.nodes, name);
    this.dirty.delete(name);
    this.emit({ type: 'node.removed', node: name });
  }

  private dirtyCount(): number {
    return this.dirty.size;
  }

  /** Marks a node for the next refresh (its options or parents changed). */
  touch(name: NodeName): void {
    this.dirty.add(name);
  }

  /** Sends a node's machine an event; records it when the state changes. */
  stepMachine(node: BlockNode, event: NodeEvent): NodeStep {
    const from = node.machine;
    const step = this.env.stepper.step(from, event);
    const to = step.state;
    if (
      to.value !== from.value ||
      to.context.readOnly !== from.context.readOnly ||
      to.context.autoReadOnly !== from.context.autoReadOnly
    ) {
      this.emit({ type: 'node.machine', node: node.name, event, from: from.value, to: to.value });
    }
    if (node.machine !== to || node.readOnly !== step.readOnly) {
      const draft = this.mustNode(node.name);
      draft.machine = to;
      draft.readOnly = step.readOnly;
    }
    return step;
  }

  // ---------------------------------------------------------------- edges

  /** bdrv_attach_child_noperm(): a new edge at the head of both lists. */
  attachNoperm(parent: ParentRef, child: NodeName, name: string, role: number, perm: PermSet, shared: PermSet): DraftEdge {
    const childNode = this.mustNode(child);
    if (parent.kind === 'node') this.checkNoCycle(parent.node, childNode, name);
    const id = ++this.g.counters.edge;
    const edge: Edge = { id, parent, child, name, role, perm, shared };
    setShard(this.g.edges, String(id), edge);
    this.own.add(edge);
    childNode.parents.unshift(id);
    if (parent.kind === 'node') {
      const parentNode = this.mustNode(parent.node);
      parentNode.children.unshift(id);
      this.raiseHeight(parentNode, childNode.height + 1);
      this.dirty.add(parent.node);
    } else if (parent.kind === 'backend') {
      const backend = this.backend(parent.backend);
      if (backend) backend.edge = id;
    }
    this.dirty.add(child);
    this.emit({ type: 'edge.attached', edge: id, parent: this.label(parent), child, name });
    return this.edge(id);
  }

  /** A node-parent's new child edge, with the perms its driver asks for (bdrv_attach_child()). */
  attachChild(parent: NodeName, child: NodeName, name: string, role: number): DraftEdge {
    const parentNode = this.mustPeekNode(parent);
    const { perm, shared } = cumulativePerm(parentNode.parents.map((id) => this.peekEdge(id)));
    const want = this.childPerm(parentNode, { name, role, child }, perm, shared);
    return this.attachNoperm({ kind: 'node', node: parent }, child, name, role, want.perm, want.shared);
  }

  /** bdrv_detach_child(): unlinks an edge; the old child is refreshed. */
  detachNoperm(id: EdgeId): void {
    const edge = this.peekEdge(id);
    const child = this.node(edge.child);
    if (child) {
      child.parents.splice(child.parents.indexOf(id), 1);
      this.dirty.add(child.name);
    }
    if (edge.parent.kind === 'node') {
      const parent = this.node(edge.parent.node);
      if (parent) {
        parent.children.splice(parent.children.indexOf(id), 1);
        this.lowerHeight(parent);
      }
    } else if (edge.parent.kind === 'backend') {
      const backend = this.backend(edge.parent.backend);
      if (backend) backend.edge = null;
    }
    this.emit({
      type: 'edge.detached',
      edge: id,
      parent: this.label(edge.parent),
      child: edge.child,
      name: edge.name,
    });
    deleteShard(this.g.edges, String(id));
  }

  /** bdrv_replace_child_noperm(): the edge keeps its parent and now points at `to`. */
  moveEdgeNoperm(id: EdgeId, to: NodeName): void {
    const edge = this.edge(id);
    const from = this.mustNode(edge.child);
    const target = this.mustNode(to);
    if (edge.parent.kind === 'node') this.checkNoCycle(edge.parent.node, target, edge.name);
    from.parents.splice(from.parents.indexOf(id), 1);
    target.parents.unshift(id);
    edge.child = to;
    if (edge.parent.kind === 'node') {
      const parent = this.mustNode(edge.parent.node);
      this.raiseHeight(parent, target.height + 1);
      this.lowerHeight(parent);
    }
    this.dirty.add(from.name);
    this.dirty.add(to);
    this.emit({ type: 'edge.moved', edge: id, parent: this.label(edge.parent), name: edge.name, from: from.name, to });
  }

  /**
   * bdrv_replace_node(): every parent of `from` now points at `to`, except job edges (they stay
   * at their node) and `to`'s own edges (which would make a loop).
   */
  replaceNodeNoperm(from: NodeName, to: NodeName): void {
    for (const id of [...this.mustPeekNode(from).parents]) {
      const edge = this.peekEdge(id);
      if (edge.parent.kind === 'job') continue;
      if (edge.parent.kind === 'node' && edge.parent.node === to) continue;
      this.moveEdgeNoperm(id, to);
    }
  }

  setEdgePerm(edge: DraftEdge, perm: PermSet, shared: PermSet): void {
    if (edge.perm === perm && edge.shared === shared) return;
    const previous = { perm: edge.perm, shared: edge.shared };
    edge.perm = perm;
    edge.shared = shared;
    this.dirty.add(edge.child);
    this.emit({
      type: 'perms.changed',
      edge: edge.id,
      parent: this.label(edge.parent),
      child: edge.child,
      name: edge.name,
      perm,
      shared,
      previous,
    });
  }

  /** bdrv_attach_child_noperm()'s check: `child` must not be `parent` or stand above it. */
  checkNoCycle(parent: NodeName, child: BlockNode, edgeName: string): void {
    const parentNode = this.mustPeekNode(parent);
    if (parent === child.name) fail(msg.wouldCreateCycle(child.name, edgeName, parent));
    if (parentNode.parents.length === 0) return;
    // parent is a descendant of child only if it stands lower: prune everything below it
    const seen = new Set<NodeName>();
    const stack = [child.name];
    while (stack.length) {
      const name = stack.pop()!;
      if (name === parent) fail(msg.wouldCreateCycle(child.name, edgeName, parent));
      const node = this.mustPeekNode(name);
      if (seen.has(name) || node.height < parentNode.height) continue;
      seen.add(name);
      for (const id of node.children) stack.push(this.peekEdge(id).child);
    }
  }

  /** `node` stands at least at `height`, and its ancestors above it (a work list: chains of any length). */
  private raiseHeight(node: BlockNode, height: number): void {
    if (height <= node.height) return;
    const work: [NodeName, number][] = [[node.name, height]];
    for (let next = work.pop(); next; next = work.pop()) {
      const [name, at] = next;
      const current = this.mustPeekNode(name);
      if (at <= current.height) continue;
      this.mustNode(name).height = at;
      for (const id of current.parents) {
        const parent = this.peekEdge(id).parent;
        if (parent.kind === 'node') work.push([parent.node, at + 1]);
      }
    }
  }

  /** `node` stands just above its highest child again, and its ancestors follow (a work list). */
  private lowerHeight(node: BlockNode): void {
    if (node.children.length === 0 && node.height === 0) return;
    const work: NodeName[] = [node.name];
    for (let name = work.pop(); name !== undefined; name = work.pop()) {
      const current = this.mustPeekNode(name);
      const height = current.children.reduce((h, id) => Math.max(h, this.mustPeekNode(this.peekEdge(id).child).height + 1), 0);
      if (height >= current.height) continue;
      this.mustNode(name).height = height;
      for (const id of current.parents) {
        const parent = this.peekEdge(id).parent;
        if (parent.kind === 'node') work.push(parent.node);
      }
    }
  }

  // ---------------------------------------------------------------- refresh

  /**
   * bdrv_list_refresh_perms() restricted to what changed: every dirty node, highest first (a
   * parent always stands higher than its children, so this is a topological order), and each
   * child whose edge got new perms on the way. Nodes whose inputs did not change would pass
   * QEMU's checks exactly as they did before, so skipping them gives QEMU's result.
   */
  refresh(): void {
    if (this.dirty.size === 0) return;
    if (this.dirty.size === 1 && !this.queue) {
      // one dirty node (a node added or closed alone): no queue until its refresh dirties another
      const name = this.dirty.values().next().value as NodeName;
      this.dirty.clear();
      const node = this.peekNode(name);
      if (node) {
        this.refreshed.push(name);
        this.refreshNode(node);
      }
      if (this.dirtyCount() === 0) return;
    }
    // a refresh empties its queue: the next one of this transaction reuses it
    const queue = (this.queue ??= new HeightQueue());
    for (const name of this.dirty) queue.push(name, this.peekNode(name)?.height ?? 0);
    this.dirty.clear();
    for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
      const node = this.peekNode(name);
      if (!node) continue;
      this.refreshed.push(name);
      this.refreshNode(node);
      for (const changed of this.dirty) queue.push(changed, this.peekNode(changed)?.height ?? 0);
      this.dirty.clear();
    }
  }

  /** Reads through peeks; takes a draft only of what changes. */
  private refreshNode(before: BlockNode): void {
    const parents = before.parents.map((id) => this.peekEdge(id));
    this.checkParentConflicts(before, parents);
    const { perm, shared } = cumulativePerm(parents);
    this.followWriters(before, perm);
    const node = this.mustPeekNode(before.name);
    if (perm & WRITE_PERMS && node.readOnly) {
      const old = getNode(this.base, node.name);
      fail(old && !old.readOnly ? msg.readOnlyWithWriters(node.name) : msg.nodeReadOnly());
    }
    if (node.file) this.checkFileLocks(node, perm, shared);
    for (const id of node.children) {
      const edge = this.peekEdge(id);
      const want = this.childPerm(node, edge, perm, shared);
      if (edge.perm !== want.perm || edge.shared !== want.shared) this.setEdgePerm(this.edge(id), want.perm, want.shared);
    }
  }

  /** bdrv_parent_perms_conflict(): every ordered pair of parents, in list order. */
  private checkParentConflicts(node: BlockNode, parents: readonly Edge[]): void {
    for (const a of parents) {
      for (const b of parents) {
        if (a === b) continue;
        const clash = b.perm & ~a.shared & PERM_ALL;
        if (clash) {
          fail(
            msg.permissionConflict(
              node.name,
              permNames(clash),
              describeParent(this.g, b.parent),
              b.name,
              describeParent(this.g, a.parent),
              a.name,
            ),
          );
        }
      }
    }
  }

  /** The node machine decides the read-only state; the core carries out the reopens it asks for. */
  private followWriters(before: BlockNode, perm: PermSet): void {
    let step = this.stepMachine(before, { type: 'perms.changed', perm });
    const direction = step.reopen;
    if (direction) {
      const node = this.mustNode(before.name);
      this.emit({ type: 'reopen.started', node: node.name, direction });
      const mode: FdMode = direction === 'read-write' ? 'O_RDWR' : 'O_RDONLY';
      const error = node.file ? this.env.storage.openError(node.file.path, mode) : null;
      step = this.stepMachine(node, { type: error ? 'reopen.failed' : 'reopen.done' });
      if (error) {
        this.emit({ type: 'reopen.failed', node: node.name, direction, reason: error });
        if (direction === 'read-write') {
          const filename = node.file!.path;
          fail(
            this.g.model === 'dynamic'
              ? msg.dynamicReopenFailed(node.name, filename, error)
              : msg.couldNotOpen(filename, error),
          );
        }
      } else {
        this.emit({ type: 'reopen.done', node: node.name, direction });
        if (node.file) node.file.mode = mode;
      }
    }
    const file = this.mustPeekNode(before.name).file;
    if (file) {
      const want: FdMode = step.fdReadWrite ? 'O_RDWR' : 'O_RDONLY';
      if (want !== file.mode) {
        const error = this.env.storage.openError(file.path, want);
        if (!error) this.mustNode(before.name).file!.mode = want;
        else if (want === 'O_RDWR') fail(msg.couldNotOpen(file.path, error));
        // going back to O_RDONLY may fail: the descriptor stays O_RDWR, as in QEMU
      }
    }
  }

  /** raw_check_lock_bytes(): this node's new lock bytes against the other users of its file. */
  private checkFileLocks(node: BlockNode, perm: PermSet, shared: PermSet): void {
    const file = node.file!;
    if (file.perm === perm && file.shared === shared) return;
    if (file.locking) {
      const others = this.fileUsers(file.identity)
        .filter((name) => name !== node.name)
        .map((name) => this.mustPeekNode(name).file!)
        .filter((other) => other.locking);
      for (const bit of PERM_BITS) {
        if (perm & bit && others.some((o) => !(o.shared & bit))) fail(msg.lockFailed(permNames(bit)));
      }
      for (const bit of PERM_BITS) {
        if (!(shared & bit) && others.some((o) => o.perm & bit)) fail(msg.sharedLockFailed(permNames(bit)));
      }
    }
    const draft = this.mustNode(node.name).file!;
    draft.perm = perm;
    draft.shared = shared;
  }

  /** bdrv_child_perm(): the parent driver's rule, then the child's force-share override. */
  childPerm(
    parent: BlockNode,
    edge: { readonly name: string; readonly role: number; readonly child: NodeName },
    perm: PermSet,
    shared: PermSet,
  ): { perm: PermSet; shared: PermSet } {
    const rule = this.policy(parent.driver).childPerm;
    if (!rule) throw new Error(`internal: driver ${parent.driver} has no children`);
    const want = rule({ perm, shared, role: edge.role, parentWritable: !parent.readOnly, edgeName: edge.name, parent });
    const child = this.peekNode(edge.child);
    return child?.forceShare ? { perm: want.perm, shared: PERM_ALL } : want;
  }
}

/**
 * Nodes by height, highest first; first come, first served within a height. A binary heap of the
 * heights in use, so a pop costs log(levels in use), not the height of the graph.
 */
class HeightQueue {
  private readonly levels = new Map<number, NodeName[]>();
  private readonly heights: number[] = [];
  private readonly queued = new Set<NodeName>();

  push(name: NodeName, height: number): void {
    if (this.queued.has(name)) return;
    this.queued.add(name);
    const level = this.levels.get(height);
    if (level) level.push(name);
    else {
      this.levels.set(height, [name]);
      this.pushHeight(height);
    }
  }

  pop(): NodeName | undefined {
    const height = this.heights[0];
    if (height === undefined) return undefined;
    const level = this.levels.get(height)!;
    const name = level.shift()!;
    if (level.length === 0) {
      this.levels.delete(height);
      this.popHeight();
    }
    this.queued.delete(name);
    return name;
  }

  private pushHeight(height: number): void {
    const heap = this.heights;
    let at = heap.push(height) - 1;
    while (at > 0) {
      const up = (at - 1) >> 1;
      if (heap[up]! >= height) break;
      heap[at] = heap[up]!;
      at = up;
    }
    heap[at] = height;
  }

  private popHeight(): void {
    const heap = this.heights;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= heap.length) break;
      if (child + 1 < heap.length && heap[child + 1]! > heap[child]!) child++;
      if (heap[child]! <= last) break;
      heap[at] = heap[child]!;
      at = child;
    }
    heap[at] = last;
  }
}
