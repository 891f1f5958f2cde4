/**
 * permgraph's library entry: the pure core (snapshots, commands, drivers, the charts) and the
 * runtime. It loads no node:* module, so it runs in a browser as well; what needs Node (real
 * files, the QMP server, scenario files, the explorer) is in 'permgraph/node'.
 */
export { createPermgraph, type Permgraph, type PermgraphLogger, type PermgraphOptions } from './runtime/permgraph.js';
export type { QmpCommand, QmpReply } from './qapi/reply.js';
export { dispatch } from './commands/dispatch.js';
export { eventPhase, splitAtReply, type EventPhase, type GraphEvent } from './core/events.js';
export { QmpError } from './messages/errors.js';
export { msg as qemuMessages } from './messages/messages.js';
export { Perm, PERM_ALL, permNames, qmpPermList, permLetters, permMask, type PermSet } from './perms/perm.js';
export { cumulativePerm } from './perms/cumulative.js';
export { Role } from './drivers/roles.js';
export { DRIVERS, driverPolicy, type DriverPolicy, type DriverPolicies } from './drivers/registry.js';
export type { BlockDriver, DriverOpenHost } from './drivers/driver.js';
export * from './graph/graph.js';
export type * from './graph/types.js';
export { createVirtualStorage, type VirtualFile, type VirtualStorage } from './storage/virtual-storage.js';
export type { Storage, FileFacts, ImageHeader } from './storage/storage.js';
export { nodeMachine } from '../machines/node.machine.js';
export { NODE_TAGS, type NodeEvent, type NodeStateName, type NodeStep, type NodeStepper } from '../machines/node.types.js';
export { openFiles, xdbgBlockGraph } from './commands/queries.js';
export { jobMachine } from '../machines/job.machine.js';
export { JOB_TRANSITIONS, JOB_VERB_ALLOWED, jobVerbError } from './jobs/job-status.js';
export { checkSnapshot, checkStep, checkRefusedCommand, formatViolation, INVARIANT_FACTS, SNAPSHOT_INVARIANTS, type InvariantName, type Violation } from './invariants/index.js';
export { withInvariantChecks } from './runtime/invariant-checks.js';
