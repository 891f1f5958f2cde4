/**
 * Options a driver reads through QemuOpts (qemu_opts_absorb_qdict()), in the order the QDict lists
 * them: a size option (parse_option_size()) below zero is refused in the words of the model's QEMU
 * release (its do_strtosz()).
 */
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { qdictKeys } from '../util/qobject.js';
import type { BlockdevOptions, DriverOpenHost } from './driver.js';

export function checkSizeOptions(host: Pick<DriverOpenHost, 'rules'>, options: BlockdevOptions, sizes: readonly string[]): void {
  for (const key of qdictKeys(options)) {
    if (!sizes.includes(key) || options[key] === undefined) continue;
    const value = BigInt(options[key] as number | bigint);
    if (value >= 0n) continue;
    fail(host.rules.negativeSizeText === 'out-of-range' ? msg.optionOutOfRange(key, value.toString()) : msg.optionNotASize(key));
  }
}
