/**
 * Planted bugs, each a believable mistake: a driver policy that lets a qcow2 share write on its
 * file while it has a writer of its own, and a node machine whose auto-read-only nodes never drop
 * back once written to.
 */
import { createMachine } from 'xstate';
import { nodeMachine, type NodeMachine } from '../../../machines/node.machine.js';
import { defaultPerms } from '../../../src/drivers/default-perms.js';
import { DRIVERS, type DriverPolicies } from '../../../src/drivers/registry.js';
import { Role } from '../../../src/drivers/roles.js';
import { Perm } from '../../../src/perms/perm.js';

/** qcow2 under a writer forgets to unshare write on its metadata child (bdrv_default_perms_for_storage). */
export const QCOW2_SHARES_WRITE: DriverPolicies = {
  ...DRIVERS,
  qcow2: {
    ...DRIVERS.qcow2,
    childPerm: (input) => {
      const want = defaultPerms(input);
      return input.role & Role.METADATA && input.perm & Perm.WRITE ? { ...want, shared: want.shared | Perm.WRITE } : want;
    },
  },
};

/** The machine's read-write states ignore the last writer leaving (no drop back to read-only / O_RDONLY). */
export const NEVER_DROPS_BACK: NodeMachine = (() => {
  const config = nodeMachine.config;
  const states = config.states!;
  return createMachine(
    { ...config, states: { ...states, active: { ...states['active'], on: {} }, fdActive: { ...states['fdActive'], on: {} } } },
    nodeMachine.implementations,
  ) as unknown as NodeMachine;
})();
