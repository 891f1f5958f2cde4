/**
 * QEMU's iotest 232 (auto-read-only), all 36 cases (tests/qemu-iotests/232 and 232.out, the same
 * in 7.2 and 10.2): a `file` node opened on a writable or an unwritable 128 MiB image with every
 * combination of read-only and auto-read-only, through -drive (whose auto-read-only defaults to
 * on: blockdev.c:blockdev_init()) or -blockdev (default off).
 */
import { describe, expect, it } from 'vitest';
import { createPermgraph, createVirtualStorage, openFiles, type Model } from '../src/index.js';

type Expected = 'read-only' | 'rw' | 'error';
type Options = { ro?: boolean; aro?: boolean };
const CASES: [number, '-drive' | '-blockdev', 'rw' | 'ro', Options, Expected][] = [
  [1, '-drive', 'rw', { ro: true, aro: false }, 'read-only'],
  [2, '-drive', 'rw', { ro: true, aro: true }, 'read-only'],
  [3, '-drive', 'rw', { ro: true }, 'read-only'],
  [4, '-drive', 'rw', { ro: false, aro: false }, 'rw'],
  [5, '-drive', 'rw', { ro: false, aro: true }, 'rw'],
  [6, '-drive', 'rw', { ro: false }, 'rw'],
  [7, '-drive', 'rw', { aro: false }, 'rw'],
  [8, '-drive', 'rw', { aro: true }, 'rw'],
  [9, '-drive', 'rw', {}, 'rw'],
  [10, '-drive', 'ro', { ro: true, aro: false }, 'read-only'],
  [11, '-drive', 'ro', { ro: true, aro: true }, 'read-only'],
  [12, '-drive', 'ro', { ro: true }, 'read-only'],
  [13, '-drive', 'ro', { ro: false, aro: false }, 'error'],
  [14, '-drive', 'ro', { ro: false, aro: true }, 'rw'],
  [15, '-drive', 'ro', { ro: false }, 'rw'],
  [16, '-drive', 'ro', { aro: false }, 'error'],
  [17, '-drive', 'ro', { aro: true }, 'rw'],
  [18, '-drive', 'ro', {}, 'rw'],
  [19, '-blockdev', 'rw', { ro: true, aro: false }, 'read-only'],
  [20, '-blockdev', 'rw', { ro: true, aro: true }, 'read-only'],
  [21, '-blockdev', 'rw', { ro: true }, 'read-only'],
  [22, '-blockdev', 'rw', { ro: false, aro: false }, 'rw'],
  [23, '-blockdev', 'rw', { ro: false, aro: true }, 'rw'],
  [24, '-blockdev', 'rw', { ro: false }, 'rw'],
  [25, '-blockdev', 'rw', { aro: false }, 'rw'],
  [26, '-blockdev', 'rw', { aro: true }, 'rw'],
  [27, '-blockdev', 'rw', {}, 'rw'],
  [28, '-blockdev', 'ro', { ro: true, aro: false }, 'read-only'],
  [29, '-blockdev', 'ro', { ro: true, aro: true }, 'read-only'],
  [30, '-blockdev', 'ro', { ro: true }, 'read-only'],
  [31, '-blockdev', 'ro', { ro: false, aro: false }, 'error'],
  [32, '-blockdev', 'ro', { ro: false, aro: true }, 'rw'],
  [33, '-blockdev', 'ro', { ro: false }, 'error'],
  [34, '-blockdev', 'ro', { aro: false }, 'error'],
  [35, '-blockdev', 'ro', { aro: true }, 'rw'],
  [36, '-blockdev', 'ro', {}, 'error'],
];

const IMAGE = 'TEST_DIR/t.IMGFMT';

function open(model: Model, frontend: string, image: 'rw' | 'ro', options: Options) {
  const pg = createPermgraph({ model, storage: createVirtualStorage({ [IMAGE]: { format: 'raw', size: 128 << 20, writable: image === 'rw' } }) });
  const autoReadOnly = options.aro ?? (frontend === '-drive' ? true : undefined);
  const reply = pg.execute({
    execute: 'blockdev-add',
    arguments: {
      driver: 'file',
      'node-name': 'node0',
      filename: IMAGE,
      ...(options.ro !== undefined ? { 'read-only': options.ro } : {}),
      ...(autoReadOnly !== undefined ? { 'auto-read-only': autoReadOnly } : {}),
    },
  });
  const nodes = pg.execute({ execute: 'query-named-block-nodes' }) as { return: { ro: boolean }[] };
  return { reply, ro: nodes.return[0]?.ro, mode: openFiles(pg.graph)[0]?.mode, autoReadOnly: autoReadOnly === true };
}

describe('iotest 232, model qemu-7.2', () => {
  it.each(CASES)('case %i: %s, %s image, %o', (_n, frontend, image, options, expected) => {
    const { reply, ro, mode, autoReadOnly } = open('qemu-7.2', frontend, image, options);
    if (expected === 'error') {
      expect(reply).toEqual({ error: { class: 'GenericError', desc: `Could not open '${IMAGE}': Permission denied` } });
      return;
    }
    expect(reply).toEqual({ return: {} });
    expect(ro).toBe(expected === 'read-only');
    expect(mode).toBe(expected === 'read-only' || autoReadOnly ? 'O_RDONLY' : 'O_RDWR');
  });
});

describe('iotest 232, model dynamic: an auto-read-only node is read-only until a writer comes', () => {
  it.each(CASES)('case %i: %s, %s image, %o', (_n, frontend, image, options, expected) => {
    const { reply, ro, mode, autoReadOnly } = open('dynamic', frontend, image, options);
    if (expected === 'error') {
      expect(reply).toHaveProperty('error');
      return;
    }
    expect(reply).toEqual({ return: {} });
    expect(ro).toBe(expected === 'read-only' || autoReadOnly);
    expect(mode).toBe(expected === 'read-only' || autoReadOnly ? 'O_RDONLY' : 'O_RDWR');
  });
});
