/**
 * QEMU 10.0's block modules as the daemon here loads them (util/module.c: module_load(),
 * module_load_dso()): its module directory holds QEMU 7.2's modules. A driver whose module
 * cannot be dlopen()ed, or is of another build, is `Unknown driver` (bdrv_fill_options()), and
 * each attempt is made anew. A module of another build has run its constructors by then, and
 * their entries stay in dso_init_list: the next module load of any kind fails
 * module_load_dso()'s assert(QTAILQ_EMPTY(&dso_init_list)) and the daemon aborts (the known
 * failure `block-module-after-foreign`). blockdev-add keeps that in the graph even when it is
 * refused: the attempt is the refused command's residue. Only the top node's driver counts: a
 * network driver opened inline below another node is refused alike, but its load is not kept.
 */
import { moduleMissing } from '../core/open-network.js';
import { TxError } from '../core/tx.js';
import { networkDriver } from '../drivers/network.js';
import type { Graph } from '../graph/types.js';
import { QmpError } from '../messages/errors.js';
import { rulesOf } from '../models/rules.js';
import type { CommandArgs } from './command.js';

/** The module blockdev-add of `args` loads first (its top node's driver's), when it is a stale one. */
function staleModuleOf(graph: Graph, args: CommandArgs): 'unloadable' | 'foreign' | null {
  const driver = networkDriver(String(args['driver']));
  if (!driver || !moduleMissing(graph, driver)) return null;
  return rulesOf(graph.model).staleBlockModules?.[driver.module!] ?? null;
}

/** Runs blockdev-add's open; a refusal after a module load attempt keeps the attempt. */
export function withModuleLoads<T>(graph: Graph, args: CommandArgs, open: () => T): T {
  const stale = staleModuleOf(graph, args);
  if (stale === null) return open();
  try {
    return open();
  } catch (error) {
    if (!(error instanceof QmpError)) throw error;
    const before = graph.blockModules ?? { loads: 0, foreignLoaded: false };
    const residue: Graph = { ...graph, blockModules: { loads: before.loads + 1, foreignLoaded: before.foreignLoaded || stale === 'foreign' } };
    throw new TxError(error, error instanceof TxError ? error.events : [], residue);
  }
}

/** A block module was loaded on this step while an earlier foreign one had left its entries behind. */
export const moduleLoadedAfterForeign = (before: Graph, after: Graph): boolean =>
  before.blockModules?.foreignLoaded === true && (after.blockModules?.loads ?? 0) > before.blockModules.loads;
