/**
 * ringbuf-write and ringbuf-read (chardev/char-ringbuf.c): a ringbuf (or memory) chardev keeps the
 * last `size` bytes written; a read takes the oldest. The bytes are state of the snapshot.
 */
import type { Command } from './command.js';
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import type { Chardev, Graph } from '../graph/types.js';
import { getChardev, putChardev } from '../graph/chardevs.js';
import { dataFormat } from '../qapi/char-schema.js';
import { int, opt, req, str, struct } from '../qapi/schema.js';
import { base64Encode, cStringBytes, glibBase64Decode, isBase64Text, strayText } from '../util/c-string.js';

type Ringbuf = NonNullable<Chardev['ringbuf']>;

/** qemu_chr_find() and CHARDEV_IS_RINGBUF(). */
function ringbufOf(graph: Graph, device: string): { chardev: Chardev; ring: Ringbuf } {
  const chardev = getChardev(graph, device);
  if (!chardev) fail(msg.ringbufDeviceNotFound(device));
  if (!chardev.ringbuf) fail(msg.notARingbuf(device));
  return { chardev, ring: chardev.ringbuf };
}

export const ringbufWrite: Command = {
  args: struct(req('device', str), req('data', str), opt('format', dataFormat)),
  run(graph, args) {
    const device = args['device'] as string;
    const { chardev, ring } = ringbufOf(graph, device);
    const text = args['data'] as string;
    let bytes: number[];
    if (args['format'] === 'base64') {
      if (!isBase64Text(text)) fail(msg.base64InvalidCharacters());
      bytes = glibBase64Decode(text);
    } else {
      bytes = cStringBytes(text);
    }
    // ringbuf_chr_write(): what passes the size pushes the oldest out
    const all = [...ring.bytes, ...bytes];
    const keep = ring.size >= BigInt(all.length) ? all : all.slice(all.length - Number(ring.size));
    return { graph: putChardev(graph, { ...chardev, ringbuf: { ...ring, bytes: keep } }), events: [], reply: {} };
  },
};

export const ringbufRead: Command = {
  args: struct(req('device', str), req('size', int), opt('format', dataFormat)),
  run(graph, args) {
    const device = args['device'] as string;
    const { chardev, ring } = ringbufOf(graph, device);
    const size = BigInt(args['size'] as number | bigint);
    if (size <= 0n) fail(msg.ringbufReadSizeNotPositive());
    const count = size > BigInt(ring.bytes.length) ? ring.bytes.length : Number(size);
    const read = ring.bytes.slice(0, count);
    // utf8: the bytes as a C string, up to a NUL (invalid sequences become U+FFFD on the way out)
    const reply = args['format'] === 'base64' ? base64Encode(read) : strayText(Uint8Array.from(read), read.length);
    return { graph: putChardev(graph, { ...chardev, ringbuf: { ...ring, bytes: ring.bytes.slice(count) } }), events: [], reply };
  },
};
