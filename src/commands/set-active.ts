/**
 * blockdev-set-active (blockdev.c: qmp_blockdev_set_active(), QEMU 10.0): one node and what is
 * below it, or every node, activated or inactivated. QEMU refreshes node by node, so what was
 * done before a failure stays done (src/core/steps.ts).
 */
import { activate, activateAll } from '../core/activation.js';
import { inactivate, inactivateAll } from '../core/inactivation.js';
import { Steps } from '../core/steps.js';
import { getNode } from '../graph/graph.js';
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { bool, opt, req, str, struct } from '../qapi/schema.js';
import type { Command } from './command.js';

export const blockdevSetActive: Command = {
  since: 1000,
  args: struct(opt('node-name', str), req('active', bool)),
  run(graph, args, env) {
    const name = args['node-name'] as string | undefined;
    const active = args['active'] === true;
    const steps = new Steps(graph, env);
    try {
      if (name === undefined) {
        if (active) activateAll(steps);
        else inactivateAll(steps);
      } else {
        if (!getNode(graph, name)) fail(msg.failedToFindNode(name));
        if (active) activate(steps, name);
        else inactivate(steps, name);
      }
    } catch (error) {
      steps.fail(error);
    }
    return { graph: steps.graph, events: steps.events, reply: {} };
  },
};
