/**
 * What the image-format drivers other than raw and qcow2 share (block/qcow.c, qed.c, vmdk.c,
 * vpc.c, vhdx.c, vdi.c, parallels.c, bochs.c, cloop.c, dmg.c, crypto.c): their QAPI variant
 * (BlockdevOptionsGenericFormat, or GenericCOWFormat with a backing), the file child opened with
 * bdrv_open_file_child() (BDRV_CHILD_IMAGE), and what their header check reads through it.
 */
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { opt, req, type Member } from '../qapi/schema.js';
import { defaultPerms } from './default-perms.js';
import type { BlockDriver, BlockdevRefs, DriverOpenHost, HeaderFacts } from './driver.js';
import { Role } from './roles.js';

/** What a format driver reads through its file child: the format of the bytes there, and their length. */
export interface ImageBelow {
  /** The format of the image under the file child; 'raw' for plain bytes (zeros in a new file). */
  readonly format: string;
  /** The file child's length in bytes (bdrv_getlength()). */
  readonly size: number;
  readonly header?: HeaderFacts;
}

/**
 * bdrv_open_file_child() with BDRV_CHILD_IMAGE, then the header below: where none shows (a format
 * node or an NBD export as the file child) the driver reads guest data, taken as zeros.
 */
export function openImageFile(host: DriverOpenHost): ImageBelow {
  host.attachFile(Role.IMAGE);
  const header = host.headerBelowFile();
  return header ? { format: header.format, size: host.size, header } : { format: 'raw', size: host.size };
}

/**
 * openImageFile(), then the image read in `format`: the node takes its size, or the open fails
 * with the text `refusal` gives for what is there instead.
 */
export function openImageOf(host: DriverOpenHost, format: string, refusal: (below: ImageBelow) => string): HeaderFacts {
  const below = openImageFile(host);
  if (below.format !== format || !below.header) fail(refusal(below));
  host.size = below.header.virtualSize;
  return below.header;
}

/** The drivers that only read (bochs, cloop, dmg): bdrv_apply_auto_read_only() before the file child. */
export function requireReadOnly(host: DriverOpenHost): void {
  if (!host.degradeToReadOnly()) fail(msg.imageReadOnly());
}

/** BlockdevOptionsGenericFormat: the file; BlockdevOptionsGenericCOWFormat adds the backing. */
export const genericFormatMembers = ({ ref }: BlockdevRefs): readonly Member[] => [req('file', ref)];
export const genericCowFormatMembers = ({ ref, refOrNull }: BlockdevRefs): readonly Member[] => [req('file', ref), opt('backing', refOrNull)];

/** A format driver's entry: bdrv_default_perms, no descriptor, no filter, the rest its own. */
export function imageFormatDriver(driver: Pick<BlockDriver, 'name' | 'members' | 'open' | 'supportsBacking' | 'reopen'> & Partial<BlockDriver>): BlockDriver {
  return { holdsFd: false, childPerm: defaultPerms, isFilter: false, ...driver };
}
