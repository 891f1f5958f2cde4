/**
 * The `blkverify` filter (block/blkverify.c): reads both children and compares them; its `raw`
 * child (its bs->file) is filtered, its `test` child is data. Both by bdrv_default_perms().
 */
import { req, type Member } from '../qapi/schema.js';
import { defaultPerms } from './default-perms.js';
import type { BlockDriver, BlockdevOptions, BlockdevRefs, DriverOpenHost } from './driver.js';
import { Role } from './roles.js';

/** BlockdevOptionsBlkverify. */
const members = ({ ref }: BlockdevRefs): readonly Member[] => [req('test', ref), req('raw', ref)];

/** blkverify_open(): the raw child, then the test child; its length is the test child's (blkverify_co_getlength()). */
function openBlkverify(host: DriverOpenHost, options: BlockdevOptions): void {
  host.openChild(options['raw'], 'raw', Role.FILTERED | Role.PRIMARY);
  host.size = host.openChild(options['test'], 'test', Role.DATA);
}

/** blkverify_refresh_filename(): `blkverify:RAW:TEST` when both children have exact filenames. */
function blkverifyFilename(_options: BlockdevOptions, exactOf: (edge: string) => string | undefined): string | undefined {
  const raw = exactOf('raw');
  const test = exactOf('test');
  return raw !== undefined && test !== undefined ? `blkverify:${raw}:${test}` : undefined;
}

export const blkverify: BlockDriver = {
  name: 'blkverify',
  members,
  holdsFd: false,
  childPerm: defaultPerms,
  isFilter: true,
  supportsBacking: false,
  reopen: null,
  open: openBlkverify,
  filenameOf: blkverifyFilename,
  refreshesFilename: true,
};
