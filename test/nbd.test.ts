/**
 * NBD client nodes in both models, on virtual servers: the dynamic model's promise for them (read-only
 * while nothing writes, read-write from the first writer the server lets write, a clean refusal when
 * it does not, read-only again after the last writer), on every NBD scenario of the corpus and on
 * storage that changes between commands; and the explorer on an NBD-backed chain.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explore } from '../src/check/explore.js';
import { loadUniverse } from '../src/check/universe.js';
import { World } from '../src/check/world.js';
import type { NbdAddress } from '../src/drivers/nbd-server.js';
import { DRIVERS, type DriverPolicies } from '../src/drivers/registry.js';
import { cumulativePerm } from '../src/perms/cumulative.js';
import { hasWriters } from '../src/perms/writers.js';
import { nodesInOrder, parentEdges } from '../src/graph/graph.js';
import type { Graph } from '../src/graph/types.js';
import { createPermgraph, createVirtualStorage, type Permgraph } from '../src/index.js';
import { loadScenario } from '../src/scenario/load.js';
import { runScenario } from '../src/scenario/run.js';
import { virtualStorageFor } from '../src/scenario/virtual-setup.js';
import { CORPUS_DIR } from './support/corpus.js';

const NBD_SCENARIOS = readdirSync(CORPUS_DIR).filter((f) => f.startsWith('nbd-') && f.endsWith('.json') && !f.endsWith('.trace.json'));

/** Every auto-read-only NBD node (not read-only=on) of the graph: read-only exactly while nothing writes. */
function followsWriters(g: Graph): string[] {
  const wrong: string[] = [];
  for (const node of nodesInOrder(g)) {
    if (node.driver !== 'nbd' || !node.machine.context.autoReadOnly || node.machine.context.readOnly) continue;
    const writer = hasWriters(false, cumulativePerm(parentEdges(g, node)).perm);
    if (writer === node.readOnly) wrong.push(`${node.name}: ro ${node.readOnly} with${writer ? '' : 'out'} a writer`);
  }
  return wrong;
}

describe('the NBD scenarios of the corpus in model dynamic', () => {
  it('are there', () => expect(NBD_SCENARIOS.length).toBeGreaterThanOrEqual(8));

  it.each(NBD_SCENARIOS)('%s: every auto-read-only NBD node follows its writers, no invariant broken', (file) => {
    const path = `${CORPUS_DIR}/${file}`;
    const scenario = loadScenario(path);
    const workdir = '/scenario/nbd';
    const result = runScenario(scenario, { model: 'dynamic', storage: virtualStorageFor(scenario, workdir, path), workdir, checkInvariants: true, file: path });
    try {
      expect(result.steps.flatMap((s) => (s.violations ?? []).map((v) => `[${s.index}] ${v.invariant}: ${v.message}`))).toEqual([]);
      expect(result.steps.flatMap((s) => followsWriters(s.graph).map((w) => `[${s.index}] ${w}`))).toEqual([]);
    } finally {
      result.permgraph.dispose();
    }
  });
});

const SOCKET = '/w/s.sock';
const server = { type: 'unix', path: SOCKET } as const;

/** raw over an NBD client, both auto-read-only, on a server that starts read-only or not. */
function remoteDisk(model: 'dynamic' | 'qemu-7.2', readOnly: boolean): Permgraph {
  const storage = createVirtualStorage({ '/w/a.img': { format: 'raw', size: 1 << 20 } });
  storage.startNbdServer({ address: server, image: '/w/a.img', exportName: '', readOnly, persistent: true, maxClients: 8, contexts: [] });
  const pg = createPermgraph({ model, storage });
  const add = pg.execute({
    execute: 'blockdev-add',
    arguments: { driver: 'raw', 'node-name': 'disk', 'auto-read-only': true, file: { driver: 'nbd', 'node-name': 'disk-nbd', server, 'auto-read-only': true } },
  });
  expect(add).toEqual({ return: {} });
  expect(pg.execute({ execute: 'nbd-server-start', arguments: { addr: { type: 'unix', data: { path: '/w/own.sock' } } } })).toEqual({ return: {} });
  return pg;
}

const roOf = (pg: Permgraph): Record<string, boolean> =>
  Object.fromEntries(nodesInOrder(pg.graph).map((n) => [n.name, n.readOnly]));
const writableExport = { execute: 'block-export-add', arguments: { type: 'nbd', id: 'e1', 'node-name': 'disk', writable: true } };

describe('an NBD-backed disk in model dynamic', () => {
  it('is read-only while nothing writes, even on a writable server', () => {
    expect(roOf(remoteDisk('dynamic', false))).toEqual({ disk: true, 'disk-nbd': true });
  });

  it('negotiates read-write for the first writer and drops back after the last', () => {
    const pg = remoteDisk('dynamic', false);
    expect(pg.execute(writableExport)).toEqual({ return: {} });
    expect(roOf(pg)).toEqual({ disk: false, 'disk-nbd': false });
    expect(pg.execute({ execute: 'block-export-del', arguments: { id: 'e1', mode: 'hard' } })).toEqual({ return: {} });
    expect(roOf(pg)).toEqual({ disk: true, 'disk-nbd': true });
  });

  it("refuses a writer the server does not let write with the server's reason, and changes nothing", () => {
    const pg = remoteDisk('dynamic', true);
    const before = pg.graph;
    expect(pg.execute(writableExport)).toEqual({
      error: { class: 'GenericError', desc: "Cannot reopen node 'disk-nbd' read-write for a writer: NBD export is read-only" },
    });
    expect(pg.graph).toBe(before);
  });

  it('meets the server as it is now: stopped, then restarted writable', () => {
    const storage = createVirtualStorage({ '/w/a.img': { format: 'raw', size: 1 << 20 } });
    const start = (readOnly: boolean) => storage.startNbdServer({ address: server, image: '/w/a.img', exportName: '', readOnly, persistent: true, maxClients: 8, contexts: [] });
    start(true);
    const pg = createPermgraph({ model: 'dynamic', storage });
    pg.execute({ execute: 'blockdev-add', arguments: { driver: 'raw', 'node-name': 'disk', 'auto-read-only': true, file: { driver: 'nbd', 'node-name': 'disk-nbd', server, 'auto-read-only': true } } });
    pg.execute({ execute: 'nbd-server-start', arguments: { addr: { type: 'unix', data: { path: '/w/own.sock' } } } });
    storage.stopNbdServer(server);
    expect(pg.execute(writableExport)).toEqual({
      error: { class: 'GenericError', desc: `Cannot reopen node 'disk-nbd' read-write for a writer: Failed to connect to '${SOCKET}': No such file or directory` },
    });
    start(false);
    expect(pg.execute(writableExport)).toEqual({ return: {} });
    expect(roOf(pg)).toEqual({ disk: false, 'disk-nbd': false });
  });

  it('a user reopen read-write negotiates anew too', () => {
    const storage = createVirtualStorage({ '/w/a.img': { format: 'raw', size: 1 << 20 } });
    storage.startNbdServer({ address: server, image: '/w/a.img', exportName: '', readOnly: true, persistent: true, maxClients: 8, contexts: [] });
    const pg = createPermgraph({ model: 'dynamic', storage });
    pg.execute({ execute: 'blockdev-add', arguments: { driver: 'nbd', 'node-name': 'n', server, 'read-only': true } });
    const reopen = { execute: 'blockdev-reopen', arguments: { options: [{ driver: 'nbd', 'node-name': 'n', server, 'read-only': false }] } };
    expect(pg.execute(reopen)).toEqual({ error: { class: 'GenericError', desc: "Can't reopen read-only NBD mount as read/write" } });
    storage.stopNbdServer(server);
    storage.startNbdServer({ address: server, image: '/w/a.img', exportName: '', readOnly: false, persistent: true, maxClients: 8, contexts: [] });
    expect(pg.execute(reopen)).toEqual({ return: {} });
    expect(roOf(pg)).toEqual({ n: false });
  });
});

describe('an NBD-backed disk in model qemu-7.2', () => {
  it('degrades at open on a read-only server, once and for good', () => {
    const pg = remoteDisk('qemu-7.2', true);
    expect(roOf(pg)).toEqual({ disk: false, 'disk-nbd': true });
    expect(pg.execute(writableExport)).toEqual({ error: { class: 'GenericError', desc: 'Block node is read-only' } });
  });

  it('refuses a client beyond the server limit rather than hang as QEMU would', () => {
    const storage = createVirtualStorage({ '/w/a.img': { format: 'raw', size: 1 << 20 } });
    storage.startNbdServer({ address: server, image: '/w/a.img', exportName: '', readOnly: false, persistent: true, maxClients: 1, contexts: [] });
    const pg = createPermgraph({ model: 'qemu-7.2', storage });
    expect(pg.execute({ execute: 'blockdev-add', arguments: { driver: 'nbd', 'node-name': 'n1', server } })).toEqual({ return: {} });
    expect(pg.execute({ execute: 'blockdev-add', arguments: { driver: 'nbd', 'node-name': 'n2', server } })).toEqual({
      error: { class: 'GenericError', desc: `The NBD server at '${SOCKET}' serves 1 client at once (qemu-nbd -e); QEMU would wait for it without end` },
    });
  });

  it("an NBD client of the graph's own export meets it as a second daemon's", () => {
    const pg = remoteDisk('qemu-7.2', false);
    expect(pg.execute({ execute: 'block-export-add', arguments: { type: 'nbd', id: 'own', 'node-name': 'disk', name: 'd' } })).toEqual({ return: {} });
    const own = { type: 'unix', path: '/w/own.sock' };
    expect(pg.execute({ execute: 'blockdev-add', arguments: { driver: 'nbd', 'node-name': 'c', server: own, export: 'd' } })).toEqual({
      error: { class: 'GenericError', desc: 'Could not open image: Permission denied' },
    });
    expect(pg.execute({ execute: 'blockdev-add', arguments: { driver: 'nbd', 'node-name': 'c', server: own, export: 'd', 'auto-read-only': true } })).toEqual({ return: {} });
    expect(roOf(pg)['c']).toBe(true);
    expect(pg.execute({ execute: 'blockdev-add', arguments: { driver: 'nbd', 'node-name': 'x', server: own, export: 'nope' } })).toEqual({
      error: { class: 'GenericError', desc: 'Requested export not available' },
    });
  });
});

describe('permgraph check on an NBD-backed chain (examples/universes/nbd-chain.yaml)', () => {
  const universe = loadUniverse('examples/universes/nbd-chain.yaml');
  it.each(['dynamic', 'qemu-7.2'] as const)('model %s: every reachable state visited, no invariant broken', (model) => {
    const result = explore(new World(universe, { model }), { depth: 30 });
    expect(result.found?.violations).toBeUndefined();
    expect(result.exhausted).toBe(true);
    expect(result.states).toBeGreaterThan(model === 'dynamic' ? 300 : 20);
  });
});

describe('a planted bug in the nbd driver', () => {
  // an nbd driver that ignores a server's refusal to write: at open, and in a reopen read-write
  const { reopenPrepare: _dropped, ...careless } = DRIVERS.nbd;
  const CARELESS_NBD: DriverPolicies = {
    ...DRIVERS,
    nbd: {
      ...careless,
      open: (host, options) => {
        host.size = host.connectNbd(options['server'] as NbdAddress, (options['export'] as string | undefined) ?? '').size;
      },
    },
  };
  const universe = loadUniverse('examples/universes/nbd-chain.yaml');

  it.each(['dynamic', 'qemu-7.2'] as const)('is caught by nbd-write-only-where-let in the NBD-backed chain (model %s)', (model) => {
    const result = explore(new World(universe, { model, driverPolicies: CARELESS_NBD }), { depth: 30 });
    expect(result.found?.violations.map((v) => v.invariant)).toContain('nbd-write-only-where-let');
  });
});

describe('the nbd driver checks what it will send before it connects', () => {
  const add = (args: Record<string, unknown>) =>
    createPermgraph({ model: 'qemu-7.2' }).execute({ execute: 'blockdev-add', arguments: { driver: 'nbd', 'node-name': 'n', server, ...args } });
  it.each([
    [{ export: 'x'.repeat(4097) }, 'export name too long to send to server'],
    [{ export: 'é'.repeat(2049) }, 'export name too long to send to server'],
    [{ 'x-dirty-bitmap': 'b'.repeat(4097) }, 'x-dirty-bitmap query too long to send to server'],
    [{ 'tls-creds': 'nosuch' }, "No TLS credentials with id 'nosuch'"],
    [{ server: { type: 'fd', str: 'x' } }, 'only QEMU supports file descriptor passing'],
  ])('%j: %s', (args, desc) => {
    expect(add(args)).toEqual({ error: { class: 'GenericError', desc } });
  });
});
