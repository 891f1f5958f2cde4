/** The `vpc` (VHD) format driver (block/vpc.c): no backing, reopened as it is, never resized. */
import { msg } from '../messages/messages.js';
import type { BlockdevOptions, DriverOpenHost } from './driver.js';
import { genericFormatMembers, imageFormatDriver, openImageOf } from './image-format.js';

/** The footer's size (HEADER_SIZE). */
const FOOTER = 512;

/** vpc_open(): the footer at the start, else at the end of the file (which must hold one). */
function openVpc(host: DriverOpenHost, _options: BlockdevOptions): void {
  openImageOf(host, 'vpc', (below) => (below.size < FOOTER ? msg.vpcFileTooSmall() : msg.vpcInvalid()));
}

export const vpc = imageFormatDriver({
  name: 'vpc',
  members: genericFormatMembers,
  supportsBacking: false,
  reopen: [],
  open: openVpc,
});
