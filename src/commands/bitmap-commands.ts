/** The dirty bitmap commands by name, for the registry (src/commands/registry.ts). */
import {
  blockDirtyBitmapAdd,
  blockDirtyBitmapClear,
  blockDirtyBitmapDisable,
  blockDirtyBitmapEnable,
  blockDirtyBitmapMerge,
  blockDirtyBitmapRemove,
  xDebugBlockDirtyBitmapSha256,
} from './bitmaps.js';
import type { Command } from './command.js';

export const BITMAP_COMMANDS: Readonly<Record<string, Command>> = {
  'block-dirty-bitmap-add': blockDirtyBitmapAdd,
  'block-dirty-bitmap-remove': blockDirtyBitmapRemove,
  'block-dirty-bitmap-clear': blockDirtyBitmapClear,
  'block-dirty-bitmap-enable': blockDirtyBitmapEnable,
  'block-dirty-bitmap-disable': blockDirtyBitmapDisable,
  'block-dirty-bitmap-merge': blockDirtyBitmapMerge,
  'x-debug-block-dirty-bitmap-sha256': xDebugBlockDirtyBitmapSha256,
};
