/**
 * The fuzzer's generator: a random but meaningful QMP sequence from a seed, as a scenario file
 * that `permgraph diff` replays. The setup makes a three-image chain holding data, a target, a
 * raw image and an unwritable one; the commands are weighted towards what management tools do.
 */
import { addDriverFilter, addQuorum, addSpecial, blockdevChange } from './driver-commands.js';
import { addBitmap, backupBitmap, bitmapVerb, exportBitmaps } from './bitmap-commands.js';
import type { Scenario, SetupStep } from '../scenario/schema.js';
import { addExport, deleteExport, invalid, jobVerb, startJob } from './job-commands.js';
import { addFile, addFilter, addFormat, addNull, chattrImage, chmodImage, deleteNode, reopen, resize, setActive, snapshot } from './node-commands.js';
import { addNbd, changeNbdServer, NBD_SETUP } from './nbd-commands.js';
import { amendImage, createImage } from './create-commands.js';
import { Random } from './random.js';
import { addChardev, changeChardev, qomQuery, queryChardevs, removeChardev, ringbufIo } from './chardev-commands.js';
import { addImageFormat, addSecret, FORMAT_SETUP } from './format-commands.js';
import { IMAGES, World } from './world.js';
import { changeBackingFile, legacyNbdExport, queryNodes, setIothread, setWriteThreshold } from './query-commands.js';
import { deleteInternalSnapshot, internalSnapshot, snapshotSync, transaction } from './transaction-commands.js';
import { qomTypeQuery } from './qom-type-commands.js';
import { addTypedExport, deleteTypedExport, EXPORT_SETUP } from './export-commands.js';
import { addNetworkDriver } from './network-commands.js';
import { addVvfat } from './vvfat-commands.js';

/** Each command generator with its weight. */
const GRAMMAR: readonly (readonly [number, (world: World) => void])[] = [
  [12, addFile], [12, addFormat], [3, addNull], [4, addFilter], [7, reopen], [6, deleteNode],
  [3, resize], [3, chmodImage], [2, chattrImage], [3, snapshot], [9, startJob], [8, jobVerb], [7, addExport],
  [3, deleteExport], [6, invalid], [5, addNbd], [2, changeNbdServer], [2, setActive],
  [4, queryNodes], [1, setWriteThreshold], [2, changeBackingFile], [1, setIothread], [2, legacyNbdExport],
  [3, createImage], [2, amendImage],
  [4, addDriverFilter], [2, addQuorum], [2, blockdevChange], [1, addSpecial],
  [2, snapshotSync], [2, internalSnapshot], [1, deleteInternalSnapshot], [3, transaction],
  [5, addBitmap], [5, bitmapVerb], [3, backupBitmap], [2, exportBitmaps],
  [2, addChardev], [1, changeChardev], [1, removeChardev], [2, ringbufIo], [1, queryChardevs], [2, qomQuery],
  [6, addImageFormat], [2, addSecret],
  [1, qomTypeQuery],
  [4, addTypedExport], [2, deleteTypedExport],
  [4, addNetworkDriver], [4, addVvfat],
];

const MB = 1 << 20;

/** Images with data in many chunks: a throttled job copies one at a time and never finishes. */
export const SETUP: readonly SetupStep[] = [
  { 'qemu-img': ['create', '-f', 'qcow2', IMAGES.base, `${16 * MB}`] },
  { 'qemu-io': ['-c', `write -P 0x11 0 ${16 * MB}`, IMAGES.base] },
  { 'qemu-img': ['create', '-f', 'qcow2', '-b', IMAGES.base, '-F', 'qcow2', IMAGES.mid] },
  { 'qemu-io': ['-c', `write -P 0x22 0 ${8 * MB}`, IMAGES.mid] },
  { 'qemu-img': ['create', '-f', 'qcow2', '-b', IMAGES.mid, '-F', 'qcow2', IMAGES.top] },
  { 'qemu-io': ['-c', `write -P 0x33 0 ${4 * MB}`, IMAGES.top] },
  { 'qemu-img': ['create', '-f', 'qcow2', IMAGES.target, `${16 * MB}`] },
  { 'qemu-img': ['create', '-f', 'raw', IMAGES.raw, `${MB}`] },
  { 'qemu-img': ['create', '-f', 'raw', IMAGES.readOnly, `${MB}`] },
  { chmod: [IMAGES.readOnly, '0444'] },
  { 'qemu-img': ['create', '-f', 'qcow2', IMAGES.immutable, `${MB}`] },
  { mkdir: '$W/rw' },
  { 'qemu-img': ['create', '-f', 'qcow2', '$W/rw/mnt.qcow2', `${MB}`] },
  { 'ro-bind-mount': ['$W/rw', '$W/romnt'] },
  ...NBD_SETUP,
  ...FORMAT_SETUP,
  ...EXPORT_SETUP,
];

export interface GenerateOptions {
  /** The most commands a sequence has (default 12). */
  readonly maxSteps?: number;
}

export function generateScenario(seed: number, name: string, options: GenerateOptions = {}): Scenario {
  const world = new World(new Random(seed));
  const length = world.random.int(3, options.maxSteps ?? 12);
  while (world.steps.length < length) world.random.weighted(GRAMMAR)(world);
  return { name, description: `permgraph fuzz, seed ${seed}`, as_user: 'nobody', setup: [...SETUP], steps: world.steps };
}
