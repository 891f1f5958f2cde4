/**
 * A runtime that checks the invariant catalogue after every command and every clock advance, and
 * tells `onViolation` what broke (`--check-invariants` on `permgraph qmp`).
 */
import type { QmpCommand } from '../qapi/reply.js';
import type { Permgraph } from './permgraph.js';
import type { Storage } from '../storage/storage.js';
import { checkStep, type Violation } from '../invariants/index.js';

export function withInvariantChecks(
  permgraph: Permgraph,
  storage: Storage | undefined,
  onViolation: (violations: readonly Violation[], after: string) => void,
): Permgraph {
  const context = storage ? { storage } : {};
  const execute = (command: QmpCommand): ReturnType<Permgraph['execute']> => {
    const before = permgraph.graph;
    const reply = permgraph.execute(command);
    const violations = checkStep(before, permgraph.graph, { command: command.execute, reply }, context);
    if (violations.length) onViolation(violations, command.execute);
    return reply;
  };
  const advance = (seconds: number): void => {
    const before = permgraph.graph;
    permgraph.advance(seconds);
    if (permgraph.graph === before) return;
    const violations = checkStep(before, permgraph.graph, { command: 'advance' }, context);
    if (violations.length) onViolation(violations, `advancing the clock ${seconds}s`);
  };
  return Object.create(permgraph, {
    execute: { value: execute },
    advance: { value: advance },
  }) as Permgraph;
}
