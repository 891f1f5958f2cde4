/**
 * bdrv_open_inherit() of a driver that needs a server (src/drivers/network.ts): the driver found
 * (in QEMU 10.0 its module loaded), the node's own checks and its name as
 * for any node, then the driver's open, which fails at its connection, so nothing is left.
 */
import type { BlockdevOptions } from '../drivers/driver.js';
import type { NetworkDriver } from '../drivers/network.js';
import type { Graph } from '../graph/types.js';
import { getObject } from '../graph/graph.js';
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { rulesOf } from '../models/rules.js';
import { assignNodeName } from './node-name.js';
import type { Tx } from './tx-state.js';

const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);

/** What a parent hands down (open.ts's Inherited): the flags the open reads. */
interface NetworkOpenContext {
  readonly inherited: { readonly readOnly?: boolean; readonly autoReadOnly?: boolean; readonly forceShare?: boolean; readonly discard?: string };
}

export function openNetwork(tx: Tx, options: BlockdevOptions, ctx: NetworkOpenContext, driver: NetworkDriver): never {
  const readOnly = bool(options['read-only']) ?? ctx.inherited.readOnly ?? false;
  const autoReadOnly = bool(options['auto-read-only']) ?? ctx.inherited.autoReadOnly ?? false;
  const forceShare = bool(options['force-share']) ?? ctx.inherited.forceShare ?? false;
  if (forceShare && !readOnly) fail(msg.forceShareReadWrite());
  if (options['detect-zeroes'] === 'unmap' && (options['discard'] ?? ctx.inherited.discard) !== 'unmap') fail(msg.detectZeroesUnmapWithoutDiscard());
  const givenName = options['node-name'];
  if (typeof givenName === 'string') assignNodeName(tx, givenName);
  return driver.open(
    {
      rules: rulesOf(tx.g.model),
      readOnly,
      autoReadOnly,
      objectType: (id) => getObject(tx.g as Graph, id)?.qomType,
      inspect: (path) => tx.env.storage.inspect(path),
    },
    options,
  );
}
