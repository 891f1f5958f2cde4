/**
 * The explorer's world: a universe's commands as a pure step function over (snapshot, storage).
 * Snapshots are immutable and storage states are values (one per combination of file modes,
 * made once), so stepping from any state never disturbs another: branching is free.
 */
import type { NodeMachine } from '../../machines/node.machine.js';
import { createEngine, type Engine } from '../commands/engine.js';
import type { QmpCommand, QmpReply } from '../qapi/reply.js';
import type { NodeStepper } from '../../machines/node.types.js';
import { createNodeStepper } from '../runtime/node-stepper.js';
import type { DriverPolicies } from '../drivers/registry.js';
import { emptyGraph } from '../graph/graph.js';
import type { Graph, Model } from '../graph/types.js';
import { ScenarioError } from '../scenario/load.js';
import { nbdAddressKey } from '../drivers/nbd-server.js';
import { stopAddress } from '../scenario/qemu-nbd-args.js';
import { changeVirtualStorage } from '../scenario/storage-steps.js';
import { substitute, virtualStorageFor } from '../scenario/virtual-setup.js';
import { createVirtualStorage, type VirtualFile, type VirtualStorage } from '../storage/virtual-storage.js';
import { commandLabel, type Universe, type UniverseCommand } from './universe.js';

export interface WorldOptions {
  readonly model: Model;
  /** Variants of the runtime's parts, as createPermgraph takes them. */
  readonly nodeMachine?: NodeMachine;
  readonly driverPolicies?: DriverPolicies;
}

/** One combination of file modes and NBD servers: its storage and the engine commands run in. */
export interface StorageState {
  /** Which files differ from the universe's setup, and how ('' when none do). */
  readonly key: string;
  readonly storage: VirtualStorage;
  readonly engine: Engine;
}

export interface WorldState {
  readonly graph: Graph;
  readonly storage: StorageState;
}

export interface Stepped {
  readonly state: WorldState;
  /** The QMP reply (none for a clock advance or a storage change). */
  readonly reply?: QmpReply;
}

const flags = (file: VirtualFile | undefined): string => `${file?.readable === undefined || file.readable === true ? 'r' : '-'}${file?.writable === undefined || file.writable === true ? 'w' : '-'}`;

export class World {
  /** The commands with `$W` replaced by the workdir. */
  readonly commands: readonly UniverseCommand[];
  readonly initial: WorldState;
  readonly workdir: string;
  private readonly stepper: NodeStepper;
  private readonly setupFiles: ReadonlyMap<string, VirtualFile>;
  private readonly storages = new Map<string, StorageState>();
  private readonly qmpCommands = new Map<UniverseCommand, QmpCommand>();
  private readonly changes = new Map<UniverseCommand, Map<StorageState, StorageState>>();

  constructor(
    readonly universe: Universe,
    readonly options: WorldOptions,
  ) {
    this.workdir = `/scenario/${universe.name}`;
    this.stepper = createNodeStepper(options.nodeMachine);
    const setup = virtualStorageFor({ steps: [], ...universe }, this.workdir, universe.name);
    this.setupFiles = new Map(setup.files);
    this.commands = substitute(universe.commands, this.workdir);
    let state: WorldState = { graph: emptyGraph(options.model), storage: this.storageFor(setup) };
    substitute(universe.start, this.workdir).forEach((command, i) => {
      const stepped = this.run(state, command);
      if (stepped.reply && 'error' in stepped.reply) {
        throw new ScenarioError(`${universe.name}: start[${i}] (${commandLabel(command)}) failed: ${stepped.reply.error.desc}`);
      }
      state = stepped.state;
    });
    this.initial = state;
  }

  /** Takes the universe's command number `index` from `state`. */
  step(state: WorldState, index: number): Stepped {
    return this.run(state, this.commands[index]!);
  }

  run(state: WorldState, command: UniverseCommand): Stepped {
    if ('execute' in command) {
      const result = state.storage.engine.step(state.graph, this.qmpCommand(command));
      return { state: result.graph === state.graph ? state : { graph: result.graph, storage: state.storage }, reply: result.reply };
    }
    if ('advance' in command) {
      const moved = state.storage.engine.advance(state.graph, command.advance);
      if (moved.fault !== undefined) throw moved.fault;
      return { state: moved.graph === state.graph ? state : { graph: moved.graph, storage: state.storage } };
    }
    const storage = this.changed(state.storage, command);
    return { state: storage === state.storage ? state : { graph: state.graph, storage } };
  }

  /** The command as dispatch() takes it, made once per universe command. */
  private qmpCommand(command: Extract<UniverseCommand, { execute: string }>): QmpCommand {
    let qmp = this.qmpCommands.get(command);
    if (!qmp) {
      qmp = { execute: command.execute, ...(command.arguments ? { arguments: command.arguments } : {}) };
      this.qmpCommands.set(command, qmp);
    }
    return qmp;
  }

  /** The storage state a chmod or an NBD server's start or stop leads to from `from` (worked out once for each pair). */
  private changed(from: StorageState, command: Exclude<UniverseCommand, { execute: string } | { advance: number }>): StorageState {
    let results = this.changes.get(command);
    if (!results) this.changes.set(command, (results = new Map()));
    let to = results.get(from);
    // stopping a server that is not running changes nothing (a scenario would be told so)
    if (!to && 'qemu-nbd-stop' in command && !from.storage.nbdServers.has(nbdAddressKey(stopAddress(command['qemu-nbd-stop'])))) to = from;
    if (!to) {
      const next = createVirtualStorage(Object.fromEntries(from.storage.files), from.storage.nbdServers.values(), from.storage.stoppedNbdServers);
      changeVirtualStorage(next, command, `${this.universe.name}: commands[${this.commands.indexOf(command)}]`);
      to = this.storageFor(next);
      results.set(from, to);
    }
    return to;
  }

  /** The one StorageState for these file modes. */
  private storageFor(storage: VirtualStorage): StorageState {
    const changed: string[] = [];
    for (const [path, file] of storage.files) {
      const was = flags(this.setupFiles.get(path));
      const now = flags(file);
      if (was !== now) changed.push(`${path}:${now}`);
    }
    // the NBD servers listening, each by its start (a restarted server is another one) and its -r
    for (const [address, server] of storage.nbdServers) changed.push(`nbd:${address}=${server.id}${server.readOnly ? ':ro' : ':rw'}`);
    for (const [address, id] of storage.stoppedNbdServers) changed.push(`nbd-stopped:${address}=${id}`);
    const key = changed.sort().join(',');
    let found = this.storages.get(key);
    if (!found) {
      const engine = createEngine({ storage, stepper: this.stepper, ...(this.options.driverPolicies ? { drivers: this.options.driverPolicies } : {}) });
      found = { key, storage, engine };
      this.storages.set(key, found);
    }
    return found;
  }
}
