/** The QAPI types that name dirty bitmaps (qapi/block-core.json). */
import { req, str, struct, type QapiType } from '../qapi/schema.js';

/** BlockDirtyBitmap. */
export const blockDirtyBitmap: QapiType = struct(req('node', str), req('name', str));

/** BlockDirtyBitmapOrStr: a bitmap of the same node by name, or any by {node, name}. */
export const bitmapOrStr: QapiType = { kind: 'alternate', name: 'BlockDirtyBitmapOrStr', string: str, object: blockDirtyBitmap };
