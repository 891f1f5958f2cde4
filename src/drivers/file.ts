/**
 * The `file` protocol driver (block/file-posix.c): a descriptor of its own, opened in the mode its
 * node's chart asks for, on a regular file only; its lock bytes follow its writers.
 */
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import { bool, enumOf, featured, int, opt, req, str, type Member } from '../qapi/schema.js';
import type { BlockDriver, BlockdevOptions, DriverOpenHost } from './driver.js';

const onOffAuto = enumOf('OnOffAuto', ['auto', 'on', 'off']);

/** raw_open_common(): open(2) in the chart's mode, then fstat(); a regular file only. */
function openFile(host: DriverOpenHost, options: BlockdevOptions): void {
  const path = options['filename'] as string;
  const mode = host.fdMode();
  const openError = host.openError(path, mode);
  if (openError) fail(msg.couldNotOpen(path, openError));
  const facts = host.inspect(path);
  if ('error' in facts) fail(msg.couldNotOpen(path, facts.error));
  if (!facts.regular) fail(msg.notRegularFile(path));
  host.filename = path;
  // refresh_total_sectors(): a node's length is whole sectors, the file's last one rounded up
  host.size = Math.ceil(facts.size / 512) * 512;
  host.holdFile({
    path,
    identity: facts.identity,
    mode,
    perm: 0,
    shared: 0x0f,
    locking: options['locking'] !== 'off',
  });
}

/** BlockdevOptionsFile: the members of file, host_device and host_cdrom. */
export const fileMembers = (): readonly Member[] => [
    req('filename', str),
    opt('pr-manager', str),
    opt('locking', onOffAuto),
    opt('aio', enumOf('BlockdevAioOptions', ['threads', 'native', 'io_uring'])),
    opt('aio-max-batch', int),
    opt('drop-cache', bool),
    featured(opt('x-check-cache-dropped', bool), 'unstable'),
];

export const file: BlockDriver = {
  truncate: () => 'done',
  name: 'file',
  members: fileMembers,
  holdsFd: true,
  isFilter: false,
  supportsBacking: false,
  reopen: ['x-check-cache-dropped', 'drop-cache'],
  open: openFile,
  exactFilename: (options) => options['filename'] as string,
  strongOptions: ['filename'],
};
