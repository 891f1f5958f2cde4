/** permgraph's public API. */
export { createPermgraph, type Permgraph, type PermgraphOptions } from './runtime/permgraph.js';
export type { QmpCommand, QmpReply } from './core/dispatch.js';
export { dispatch } from './core/dispatch.js';
export type { GraphEvent } from './core/events.js';
export { QmpError } from './core/errors.js';
export { msg as qemuMessages } from './core/messages.js';
export { Perm, PERM_ALL, permNames, qmpPermList, permLetters, type PermSet } from './perms/perm.js';
export { cumulativePerm } from './perms/cumulative.js';
export { Role } from './drivers/roles.js';
export { DRIVERS, driverPolicy, type DriverPolicy } from './drivers/policies.js';
export * from './graph/graph.js';
export type * from './graph/types.js';
export { createRealStorage } from './storage/real-storage.js';
export { createVirtualStorage, type VirtualFile, type VirtualStorage } from './storage/virtual-storage.js';
export type { Storage, FileFacts, ImageHeader } from './storage/storage.js';
export { nodeMachine, type NodeEvent, type NodeStateName } from '../machines/node.machine.js';
export { openFiles, xdbgBlockGraph } from './commands/queries.js';
