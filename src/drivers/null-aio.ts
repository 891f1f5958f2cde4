/**
 * The `null-aio` protocol driver (block/null.c, bdrv_null_aio): null-co's twin, its requests
 * completed by AIO callbacks instead of coroutines; to the graph it is null-co under another name.
 */
import type { BlockDriver } from './driver.js';
import { NULL_STRONG_OPTIONS, nullFilename, nullMembers, openNull } from './null-co.js';

export const nullAio: BlockDriver = {
  name: 'null-aio',
  members: nullMembers,
  holdsFd: false,
  isFilter: false,
  supportsBacking: false,
  reopen: [],
  open: openNull,
  exactFilename: nullFilename('null-aio'),
  strongOptions: NULL_STRONG_OPTIONS,
};
