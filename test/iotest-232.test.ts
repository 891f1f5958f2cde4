/**
 * QEMU's iotest 232 (auto-read-only): tests/qemu-iotests/232 and 232.out, the same in 7.2 and
 * 10.2; the table is spec §8. Each case opens a `file` node directly (no format layer) on a
 * 128 MiB image that is writable ("rw") or not (`chmod a-w`, "ro"), with the case's read-only and
 * auto-read-only options, then keeps the `(file…)` part of `info block -n`.
 *
 * The -drive cases differ from the -blockdev ones only by their default: -drive sets
 * auto-read-only=on unless told otherwise (blockdev.c:blockdev_init()); -blockdev / blockdev-add
 * leaves it off (blockdev.c:bds_tree_init()). So every case here is one `blockdev-add` with the
 * options that frontend would pass.
 */
import { describe, expect, it } from 'vitest';
import { createPermgraph, createVirtualStorage, type Model, type QmpReply } from '../src/index.js';

/** The image name as 232.out prints it (after the test's filters). */
const IMAGE = 'TEST_DIR/t.IMGFMT';
const SIZE = 128 * 1024 * 1024;
const DENIED = `Could not open '${IMAGE}': Permission denied`;

type Frontend = '-drive' | '-blockdev';
type Image = 'rw' | 'ro';
interface Options {
  readonly ro?: boolean;
  readonly aro?: boolean;
}
/** What 232.out shows: the `info block -n` suffix, or the open error. */
type Expected = '(file, read-only)' | '(file)' | typeof DENIED;

const CASES: readonly [number, Frontend, Image, Options, Expected][] = [
  [1, '-drive', 'rw', { ro: true, aro: false }, '(file, read-only)'],
  [2, '-drive', 'rw', { ro: true, aro: true }, '(file, read-only)'],
  [3, '-drive', 'rw', { ro: true }, '(file, read-only)'],
  [4, '-drive', 'rw', { ro: false, aro: false }, '(file)'],
  [5, '-drive', 'rw', { ro: false, aro: true }, '(file)'],
  [6, '-drive', 'rw', { ro: false }, '(file)'],
  [7, '-drive', 'rw', { aro: false }, '(file)'],
  [8, '-drive', 'rw', { aro: true }, '(file)'],
  [9, '-drive', 'rw', {}, '(file)'],
  [10, '-drive', 'ro', { ro: true, aro: false }, '(file, read-only)'],
  [11, '-drive', 'ro', { ro: true, aro: true }, '(file, read-only)'],
  [12, '-drive', 'ro', { ro: true }, '(file, read-only)'],
  [13, '-drive', 'ro', { ro: false, aro: false }, DENIED],
  [14, '-drive', 'ro', { ro: false, aro: true }, '(file)'],
  [15, '-drive', 'ro', { ro: false }, '(file)'],
  [16, '-drive', 'ro', { aro: false }, DENIED],
  [17, '-drive', 'ro', { aro: true }, '(file)'],
  [18, '-drive', 'ro', {}, '(file)'],
  [19, '-blockdev', 'rw', { ro: true, aro: false }, '(file, read-only)'],
  [20, '-blockdev', 'rw', { ro: true, aro: true }, '(file, read-only)'],
  [21, '-blockdev', 'rw', { ro: true }, '(file, read-only)'],
  [22, '-blockdev', 'rw', { ro: false, aro: false }, '(file)'],
  [23, '-blockdev', 'rw', { ro: false, aro: true }, '(file)'],
  [24, '-blockdev', 'rw', { ro: false }, '(file)'],
  [25, '-blockdev', 'rw', { aro: false }, '(file)'],
  [26, '-blockdev', 'rw', { aro: true }, '(file)'],
  [27, '-blockdev', 'rw', {}, '(file)'],
  [28, '-blockdev', 'ro', { ro: true, aro: false }, '(file, read-only)'],
  [29, '-blockdev', 'ro', { ro: true, aro: true }, '(file, read-only)'],
  [30, '-blockdev', 'ro', { ro: true }, '(file, read-only)'],
  [31, '-blockdev', 'ro', { ro: false, aro: false }, DENIED],
  [32, '-blockdev', 'ro', { ro: false, aro: true }, '(file)'],
  [33, '-blockdev', 'ro', { ro: false }, DENIED],
  [34, '-blockdev', 'ro', { aro: false }, DENIED],
  [35, '-blockdev', 'ro', { aro: true }, '(file)'],
  [36, '-blockdev', 'ro', {}, DENIED],
];

/** The auto-read-only value the frontend ends up passing (-drive defaults it to on). */
const autoReadOnly = (frontend: Frontend, options: Options): boolean | undefined =>
  options.aro ?? (frontend === '-drive' ? true : undefined);

function run(model: Model, frontend: Frontend, image: Image, options: Options) {
  const storage = createVirtualStorage({ [IMAGE]: { format: 'raw', size: SIZE, writable: image === 'rw' } });
  const pg = createPermgraph({ model, storage });
  const aro = autoReadOnly(frontend, options);
  const reply = pg.execute({
    execute: 'blockdev-add',
    arguments: {
      driver: 'file',
      'node-name': 'node0',
      filename: IMAGE,
      ...(options.ro !== undefined ? { 'read-only': options.ro } : {}),
      ...(aro !== undefined ? { 'auto-read-only': aro } : {}),
    },
  });
  const nodes = result(pg.execute({ execute: 'query-named-block-nodes' })) as Record<string, unknown>[];
  const files = result(pg.execute({ execute: 'x-permgraph-query-open-files' }));
  return { reply, nodes, files };
}

function result(reply: QmpReply): unknown {
  if (!('return' in reply)) throw new Error(`query failed: ${reply.error.desc}`);
  return reply.return;
}

/** `info block -n` prints `<node>: <file> (<drv>[, read-only])` (block-hmp-cmds.c). */
const infoBlockLine = (node: Record<string, unknown>): string =>
  `${String(node['node-name'])}: ${String(node['file'])} (${String(node['drv'])}${node['ro'] === true ? ', read-only' : ''})`;

const pick = (node: Record<string, unknown>) => ({
  'node-name': node['node-name'],
  drv: node['drv'],
  ro: node['ro'],
  file: node['file'],
  'virtual-size': (node['image'] as Record<string, unknown>)['virtual-size'],
});

/** Asserts what one opened node looks like: its `ro`, and how its file is open. */
function expectOpened(outcome: ReturnType<typeof run>, ro: boolean, mode: 'O_RDONLY' | 'O_RDWR'): void {
  expect(outcome.reply).toEqual({ return: {} });
  expect(outcome.nodes.map(pick)).toEqual([{ 'node-name': 'node0', drv: 'file', ro, file: IMAGE, 'virtual-size': SIZE }]);
  expect(outcome.nodes.map(infoBlockLine)).toEqual([`node0: ${IMAGE} (file${ro ? ', read-only' : ''})`]);
  // no parent: nothing taken, everything shared, so no lock byte is held
  expect(outcome.files).toEqual([{ path: IMAGE, mode, locks: [] }]);
}

function expectRefused(outcome: ReturnType<typeof run>): void {
  expect(outcome.reply).toEqual({ error: { class: 'GenericError', desc: DENIED } });
  expect(outcome.nodes).toEqual([]);
  expect(outcome.files).toEqual([]);
}

describe('iotest 232 table', () => {
  it('has all 36 cases in order, 18 per frontend', () => {
    expect(CASES.map(([n]) => n)).toEqual(Array.from({ length: 36 }, (_, i) => i + 1));
    expect(CASES.filter(([, f]) => f === '-drive')).toHaveLength(18);
    expect(CASES.filter(([, f]) => f === '-blockdev')).toHaveLength(18);
  });
});

describe('iotest 232 in model qemu-7.2: as 232.out', () => {
  it.each(CASES)('case %i: %s on the %s image with %o gives %s', (_n, frontend, image, options, expected) => {
    const outcome = run('qemu-7.2', frontend, image, options);
    if (expected === DENIED) return expectRefused(outcome);
    const ro = expected === '(file, read-only)';
    // file-posix opens O_RDONLY when read-only, and also with auto-read-only while no writer
    // exists (raw_open_common(): desired mode with no users); O_RDWR otherwise
    const mode = ro || autoReadOnly(frontend, options) === true ? 'O_RDONLY' : 'O_RDWR';
    expectOpened(outcome, ro, mode);
  });
});

describe('iotest 232 in model dynamic: an auto-read-only node is read-only while it has no writer', () => {
  it.each(CASES)('case %i: %s on the %s image with %o', (_n, frontend, image, options, expected) => {
    const outcome = run('dynamic', frontend, image, options);
    if (options.ro !== true && autoReadOnly(frontend, options) === true) {
      // never fails: nothing writes yet, so the storage is not asked for write access
      return expectOpened(outcome, true, 'O_RDONLY');
    }
    if (expected === DENIED) return expectRefused(outcome);
    const ro = expected === '(file, read-only)';
    expectOpened(outcome, ro, ro ? 'O_RDONLY' : 'O_RDWR');
  });
});
