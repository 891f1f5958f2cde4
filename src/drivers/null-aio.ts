/**
 * The `null-aio` protocol driver (block/null.c, bdrv_null_aio): null-co's twin, its requests
 * completed by AIO callbacks instead of coroutines; to the graph it is null-co under another name.
 */
import type { BlockDriver } from './driver.js';
import { nullCo, nullFilename } from './null-co.js';

export const nullAio: BlockDriver = { ...nullCo, name: 'null-aio', exactFilename: nullFilename('null-aio') };
