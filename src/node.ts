/**
 * permgraph's Node entry ('permgraph/node'): everything of 'permgraph', and what needs Node — the
 * real storage, the QMP server, scenario and universe files, the explorer and its counterexamples.
 */
export * from './index.js';
export { createRealStorage } from './host/real-storage.js';
export { startQmpServer, type QmpServer, type QmpServerOptions } from './server/qmp-server.js';
export { loadScenario, parseScenario, ScenarioError } from './scenario/load.js';
export { runScenario, type RunResult, type StepRecord } from './scenario/run.js';
export { virtualStorageFor } from './scenario/virtual-setup.js';
export { explore, type ExploreOptions, type ExploreResult } from './check/explore.js';
export { World, type WorldOptions, type WorldState } from './check/world.js';
export { DEFAULT_UNIVERSE } from './check/default-universe.js';
export { loadUniverse, parseUniverse, type Universe } from './check/universe.js';
export { counterexampleScenario, scenarioYaml } from './check/counterexample.js';
