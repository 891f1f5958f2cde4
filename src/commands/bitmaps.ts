/**
 * The dirty bitmap commands (block/monitor/bitmap-qmp-cmds.c): block-dirty-bitmap-add, -remove,
 * -clear, -enable, -disable, -merge and x-debug-block-dirty-bitmap-sha256. Each is a pure step on
 * the snapshot; a transaction action of the same name runs the same command.
 */
import { setBitmaps, storesPersistentBitmaps, unstoreBitmap } from '../core/bitmaps.js';
import { transact } from '../core/tx.js';
import { bitmapsOf, findBitmap, nodeLength } from '../graph/bitmaps.js';
import { bitmapSha256, cleared, withBitsSet } from '../graph/bitmap-bits.js';
import { getNode } from '../graph/graph.js';
import type { BlockNode, DirtyBitmap, Graph } from '../graph/types.js';
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { bool, listOf, opt, req, str, struct, uint32 } from '../qapi/schema.js';
import { ALLOW_RO, BUSY, DEFAULT, RO, checkBitmap, lookupBitmap, type Found } from '../core/bitmap-checks.js';
import { bitmapOrStr, blockDirtyBitmap } from './bitmap-lookup.js';
import { defaultBitmapGranularity } from '../core/bitmap-granularity.js';
import type { Command, CommandArgs, CommandResult } from './command.js';
import type { Tx, TxEnv } from '../core/tx-state.js';

/** BDRV_BITMAP_MAX_NAME_SIZE (and qcow2's BME_MAX_NAME_SIZE). */
const MAX_NAME = 1023;
/** qcow2-bitmap.c: BME_MAX_PHYS_SIZE, the most a bitmap may take in the image. */
const BME_MAX_PHYS_SIZE = 0x20000000;

const byteLength = (text: string): number => new TextEncoder().encode(text).length;

/** The bitmaps of `found.node` with `found.bitmap` changed (or gone: null). */
function replaced(graph: Graph, env: TxEnv, found: Found, next: DirtyBitmap | null, before?: (tx: Tx) => void): CommandResult {
  const result = transact(graph, env, (tx) => {
    before?.(tx);
    const list = bitmapsOf(tx.mustPeekNode(found.node.name));
    setBitmaps(tx, found.node.name, next ? list.map((b) => (b.name === found.bitmap.name ? next : b)) : list.filter((b) => b.name !== found.bitmap.name));
  });
  return { ...result, reply: {} };
}

/**
 * bdrv_can_store_new_dirty_bitmap(): only a qcow2 image stores bitmaps;
 * qcow2_co_can_store_new_dirty_bitmap() refuses a name in use, then check_constraints_on_bitmap()
 * a bitmap too large for the image or a name too long.
 */
function canStore(node: BlockNode, name: string, granularity: number): void {
  if (!storesPersistentBitmaps(node.driver)) fail(msg.cannotStoreBitmaps(node.name));
  if (findBitmap(node, name)) fail(msg.bitmapExists(name));
  const bytes = Math.ceil(Math.ceil(nodeLength(node) / granularity) / 8);
  if (bytes > BME_MAX_PHYS_SIZE) fail(msg.cannotMakePersistent(name, node.name, msg.qcow2BitmapTooLarge()));
  if (byteLength(name) > MAX_NAME) fail(msg.cannotMakePersistent(name, node.name, msg.qcow2BitmapNameTooLong()));
}

export const blockDirtyBitmapAdd: Command = {
  args: struct(req('node', str), req('name', str), opt('granularity', uint32), opt('persistent', bool), opt('disabled', bool)),
  run(graph, args, env) {
    const name = args['name'] as string;
    const nodeName = args['node'] as string;
    if (name === '') fail(msg.bitmapNameEmpty());
    const node = getNode(graph, nodeName);
    if (!node) fail(msg.cannotFindDevice(nodeName, nodeName));
    const given = args['granularity'] as number | undefined;
    if (given !== undefined && (given < 512 || (given & (given - 1)) !== 0)) fail(msg.bitmapGranularity());
    const granularity = given ?? defaultBitmapGranularity(graph, node.name);
    const persistent = args['persistent'] === true;
    if (persistent) canStore(node, name, granularity);
    // bdrv_create_dirty_bitmap(): the new one goes first
    if (findBitmap(node, name)) fail(msg.bitmapExists(name));
    if (byteLength(name) > MAX_NAME) fail(msg.bitmapNameTooLong(name));
    const bitmap: DirtyBitmap = { name, size: nodeLength(node), granularity, persistent, disabled: args['disabled'] === true, readonly: false };
    const result = transact(graph, env, (tx) => setBitmaps(tx, node.name, [bitmap, ...bitmapsOf(node)]));
    return { ...result, reply: {} };
  },
};

const ref = (args: CommandArgs): [string, string] => [args['node'] as string, args['name'] as string];

/** block_dirty_bitmap_remove(): not busy nor read-only; a persistent one leaves its image too. */
export const blockDirtyBitmapRemove: Command = {
  args: blockDirtyBitmap,
  run(graph, args, env) {
    const found = lookupBitmap(graph, ...ref(args));
    checkBitmap(graph, found, BUSY | RO);
    // bdrv_remove_persistent_dirty_bitmap(): qcow2 drops it from the image's directory
    const unstore = found.bitmap.persistent ? (tx: Tx) => unstoreBitmap(tx, found.node.name, found.bitmap.name) : undefined;
    return replaced(graph, env, found, null, unstore);
  },
};

/** qmp_block_dirty_bitmap_clear(): its bits cleared. */
export const blockDirtyBitmapClear: Command = {
  args: blockDirtyBitmap,
  run(graph, args, env) {
    const found = lookupBitmap(graph, ...ref(args));
    checkBitmap(graph, found, DEFAULT);
    return found.bitmap.dirty ? replaced(graph, env, found, cleared(found.bitmap)) : { graph, events: [], reply: {} };
  },
};

const enabling = (disabled: boolean): Command => ({
  args: blockDirtyBitmap,
  run(graph, args, env) {
    const found = lookupBitmap(graph, ...ref(args));
    checkBitmap(graph, found, ALLOW_RO);
    return replaced(graph, env, found, { ...found.bitmap, disabled });
  },
});

/** qmp_block_dirty_bitmap_enable() / _disable(). */
export const blockDirtyBitmapEnable = enabling(false);
export const blockDirtyBitmapDisable = enabling(true);

/**
 * block_dirty_bitmap_merge(): each source in turn (a name: on the target's node) into the target,
 * as bdrv_merge_dirty_bitmap() allows: the target writable, the source usable, the same size.
 */
export const blockDirtyBitmapMerge: Command = {
  args: struct(req('node', str), req('target', str), req('bitmaps', listOf(bitmapOrStr))),
  run(graph, args, env) {
    const dst = lookupBitmap(graph, args['node'] as string, args['target'] as string);
    let merged = dst.bitmap;
    for (const source of args['bitmaps'] as readonly unknown[]) {
      let src: Found;
      if (typeof source === 'string') {
        const bitmap = findBitmap(dst.node, source);
        if (!bitmap) fail(msg.bitmapNotFound(source));
        src = { node: dst.node, bitmap };
      } else {
        const { node, name } = source as { node: string; name: string };
        src = lookupBitmap(graph, node, name);
      }
      checkBitmap(graph, dst, DEFAULT);
      checkBitmap(graph, src, ALLOW_RO);
      if (src.bitmap.size !== dst.bitmap.size) fail(msg.bitmapSizesDiffer(dst.bitmap.size, src.bitmap.size));
      if (src.bitmap.dirty) merged = withBitsSet(merged, src.bitmap.dirty);
    }
    // merging clear bitmaps leaves every bit as it was
    return merged === dst.bitmap ? { graph, events: [], reply: {} } : replaced(graph, env, dst, merged);
  },
};

/** qmp_x_debug_block_dirty_bitmap_sha256(): the hash of its bits. */
export const xDebugBlockDirtyBitmapSha256: Command = {
  args: blockDirtyBitmap,
  run(graph, args) {
    const { bitmap } = lookupBitmap(graph, ...ref(args));
    return { graph, events: [], reply: { sha256: bitmapSha256(bitmap) } };
  },
};
