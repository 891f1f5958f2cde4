/** The charts of the project's machines, by the name the CLI and the docs use. */
import type { AnyStateMachine } from 'xstate';
import { jobMachine } from '../../machines/job.machine.js';
import { nodeMachine } from '../../machines/node.machine.js';
import { machineChart, type Chart } from './machine-chart.js';

export const MACHINES = { node: nodeMachine, job: jobMachine } as const satisfies Record<string, AnyStateMachine>;
export type MachineName = keyof typeof MACHINES;

export const chartOf = (name: MachineName): Chart => machineChart(MACHINES[name]);
