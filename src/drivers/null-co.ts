/**
 * The `null-co` protocol driver (block/null.c): no file, reads of zeroes (or of nothing) at a
 * given size. Its twin `null-aio` (src/drivers/null-aio.ts) differs only in its name.
 */
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { bool, exactInt, exactUint64, opt, type Member } from '../qapi/schema.js';
import { BDRV_MAX_LENGTH, type BlockDriver, type BlockdevOptions, type DriverOpenHost } from './driver.js';
import { checkSizeOptions } from './qemu-opts.js';

const NULL_DEFAULT_SIZE = 1 << 30;

/** BlockdevOptionsNull: the members of null-co and of null-aio. */
export const nullMembers = (): readonly Member[] => [opt('size', exactInt), opt('latency-ns', exactUint64), opt('read-zeroes', bool)];

/**
 * null_file_open() and refresh_total_sectors(): the size in whole sectors must stay within
 * BDRV_MAX_LENGTH; latency-ns, read as int64, must not be negative.
 */
function nullSize(host: DriverOpenHost, options: BlockdevOptions): number {
  // the options reach the driver as QemuOpts: a negative size is no size (QEMU aborts here:
  // src/commands/known-failures.ts)
  checkSizeOptions(host, options, ['size']);
  const size = BigInt((options['size'] as number | bigint | undefined) ?? NULL_DEFAULT_SIZE);
  const latency = BigInt((options['latency-ns'] as number | bigint | undefined) ?? 0);
  if (latency >= 2n ** 63n) fail(msg.latencyInvalid());
  const sectors = (size + 511n) / 512n;
  if (sectors * 512n > BDRV_MAX_LENGTH) fail(msg.refreshTotalSectorsFailed('File too large'));
  return Number(size);
}

function openNull(host: DriverOpenHost, options: BlockdevOptions): void {
  host.size = nullSize(host, options);
}

/** null_strong_runtime_opts: given, no `null-co://` says what the node is. */
const NULL_STRONG_OPTIONS = ['size', 'read-zeroes'];

/** null_refresh_filename(): `<format_name>://` unless an option other than latency-ns was given. */
export const nullFilename =
  (format: string) =>
  (options: BlockdevOptions): string | undefined =>
    NULL_STRONG_OPTIONS.some((key) => options[key] !== undefined) ? undefined : `${format}://`;

export const nullCo: BlockDriver = {
  name: 'null-co',
  members: nullMembers,
  holdsFd: false,
  isFilter: false,
  supportsBacking: false,
  reopen: [],
  open: openNull,
  exactFilename: nullFilename('null-co'),
  strongOptions: NULL_STRONG_OPTIONS,
};
