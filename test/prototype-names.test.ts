/**
 * Names a client gives are only names: a command, node, job, object, export or device called
 * after something of Object.prototype's (`constructor`, `toString`, `__proto__`, …) is looked up
 * like any other, with the answers qemu-storage-daemon 7.2 gave (recorded by hand on the daemon).
 */
import { describe, expect, it } from 'vitest';
import { createPermgraph, createVirtualStorage, type Model, type QmpReply } from '../src/index.js';
import { COMMANDS, commandNamed } from '../src/commands/registry.js';
import { getJob, getObject } from '../src/graph/graph.js';
import { nameRecord, ownEntry } from '../src/util/records.js';

const HOSTILE = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__', 'toLocaleString'];
/** Of those, the ones QEMU takes as ids (id_wellformed(): a letter first). */
const WELL_FORMED = HOSTILE.filter((name) => /^[A-Za-z]/.test(name));

const ok = { return: {} };
const err = (desc: string, errorClass = 'GenericError'): QmpReply => ({ error: { class: errorClass, desc } });

function runtime(model: Model = 'qemu-7.2') {
  const pg = createPermgraph({
    model,
    storage: createVirtualStorage({ '/i/base.qcow2': { format: 'qcow2', size: 1 << 20 } }),
    nodeActors: false,
  });
  const run = (execute: string, args?: Record<string, unknown>): QmpReply => pg.execute(args ? { execute, arguments: args } : { execute });
  return { pg, run };
}

describe('commands named after Object.prototype', () => {
  it.each(HOSTILE)('%s is no command', (name) => {
    const { pg, run } = runtime();
    const before = pg.graph;
    expect(run(name)).toEqual(err(`The command ${name} has not been found`, 'CommandNotFound'));
    expect(run(name, {})).toEqual(err(`The command ${name} has not been found`, 'CommandNotFound'));
    expect(pg.graph).toBe(before);
  });

  it('the registry holds own entries only', () => {
    expect(Object.getPrototypeOf(COMMANDS)).toBeNull();
    for (const name of HOSTILE) expect(commandNamed(name)).toBeUndefined();
    expect(commandNamed('blockdev-add')).toBe(COMMANDS['blockdev-add']);
  });
});

describe('ids and names after Object.prototype, looked up', () => {
  it.each(HOSTILE)('%s: nothing of that name exists yet', (name) => {
    const { pg, run } = runtime();
    const before = pg.graph;
    expect(run('object-del', { id: name })).toEqual(err(`object '${name}' not found`));
    expect(run('job-cancel', { id: name })).toEqual(err('Job not found'));
    expect(run('job-dismiss', { id: name })).toEqual(err('Job not found'));
    expect(run('block-job-cancel', { device: name })).toEqual(err(`Block job '${name}' not found`, 'DeviceNotActive'));
    expect(run('block-job-set-speed', { device: name, speed: 1 })).toEqual(err(`Block job '${name}' not found`, 'DeviceNotActive'));
    expect(run('blockdev-del', { 'node-name': name })).toEqual(err(`Failed to find node with node-name='${name}'`));
    expect(run('block-export-del', { id: name })).toEqual(err(`Export '${name}' is not found`));
    expect(run('device_del', { id: name })).toEqual(err('The command device_del has not been found', 'CommandNotFound'));
    expect(run('blockdev-add', { driver: 'null-co', 'node-name': 'n0' })).toEqual(ok);
    expect(run('device_add', { driver: name, drive: 'n0' })).toEqual(err('The command device_add has not been found', 'CommandNotFound'));
    expect(run('blockdev-add', { driver: 'throttle', 'node-name': 't0', 'throttle-group': name, file: 'n0' })).toEqual(
      err(`Throttle group '${name}' does not exist`),
    );
    expect(run('blockdev-add', { driver: name, 'node-name': 'n1' })).toEqual(err(`Parameter 'driver' does not accept value '${name}'`));
    expect(getJob(pg.graph, name)).toBeUndefined();
    expect(getObject(pg.graph, name)).toBeUndefined();
    expect(pg.graph).not.toBe(before);
  });

  it.each(HOSTILE)('%s: a guest device of that name (model dynamic, which simulates the system emulator)', (name) => {
    const { run } = runtime('dynamic');
    expect(run('device_del', { id: name })).toEqual(err(`Device '${name}' not found`, 'DeviceNotFound'));
    expect(run('blockdev-add', { driver: 'null-co', 'node-name': 'n0' })).toEqual(ok);
    expect(run('device_add', { driver: name, drive: 'n0' })).toEqual(err(`'${name}' is not a valid device model name`));
  });

  it.each(WELL_FORMED)('%s: an object, a node, an export and a job of that name', (name) => {
    const { pg, run } = runtime();
    expect(run('object-add', { 'qom-type': 'throttle-group', id: name })).toEqual(ok);
    expect(run('object-add', { 'qom-type': 'throttle-group', id: name })).toEqual(
      err(`attempt to add duplicate property '${name}' to object (type 'container')`),
    );
    expect(getObject(pg.graph, name)?.qomType).toBe('throttle-group');
    expect(run('blockdev-add', { driver: 'qcow2', 'node-name': name, file: { driver: 'file', filename: '/i/base.qcow2' } })).toEqual(ok);
    expect(run('blockdev-add', { driver: 'throttle', 'node-name': 't0', 'throttle-group': name, file: name })).toEqual(ok);
    expect(run('nbd-server-start', { addr: { type: 'unix', data: { path: '/tmp/n.sock' } } })).toEqual(ok);
    expect(run('block-export-add', { type: 'nbd', id: name, 'node-name': 't0', name })).toEqual(ok);
    expect(run('block-export-add', { type: 'nbd', id: 'e1', 'node-name': 't0', name })).toEqual(err(`NBD server already has export named '${name}'`));
    expect(run('block-export-del', { id: name })).toEqual(ok);
    expect(run('block-stream', { device: 't0', 'job-id': name, 'auto-dismiss': false })).toEqual(ok);
    expect(getJob(pg.graph, name)?.type).toBe('stream');
    pg.advance(0);
    expect(run('query-jobs')).toEqual({ return: [{ id: name, type: 'stream', status: 'concluded', 'current-progress': 0, 'total-progress': 0 }] });
    expect(run('job-dismiss', { id: name })).toEqual(ok);
    expect(run('object-del', { id: name })).toEqual(err(`object '${name}' is in use, can not be deleted`));
    expect(run('blockdev-del', { 'node-name': 't0' })).toEqual(ok);
    expect(run('object-del', { id: name })).toEqual(ok);
    expect(run('object-del', { id: name })).toEqual(err(`object '${name}' not found`));
    expect(run('blockdev-del', { 'node-name': name })).toEqual(ok);
  });

  it('__proto__ is no well-formed id, node name, export id or job id', () => {
    const { run } = runtime();
    expect(run('object-add', { 'qom-type': 'throttle-group', id: '__proto__' })).toEqual(err("Parameter 'id' expects an identifier"));
    expect(run('blockdev-add', { driver: 'null-co', 'node-name': '__proto__' })).toEqual(err("Invalid node-name: '__proto__'"));
    expect(run('blockdev-add', { driver: 'null-co', 'node-name': 'n0' })).toEqual(ok);
    expect(run('nbd-server-start', { addr: { type: 'unix', data: { path: '/tmp/n.sock' } } })).toEqual(ok);
    expect(run('block-export-add', { type: 'nbd', id: '__proto__', 'node-name': 'n0' })).toEqual(err('Invalid block export id'));
    expect(run('block-export-add', { type: 'nbd', id: 'e0', 'node-name': 'n0', name: '__proto__' })).toEqual(ok);
    expect(run('block-stream', { device: 'n0', 'job-id': '__proto__' })).toEqual(err("Invalid job ID '__proto__'"));
  });

  it('an argument named __proto__ is a member like any other (as JSON.parse makes it)', () => {
    const { pg, run } = runtime();
    const args = JSON.parse('{"node-name": "n0", "__proto__": {"driver": "null-co"}}') as Record<string, unknown>;
    expect(run('blockdev-del', args)).toEqual(err("Parameter '__proto__' is unexpected"));
    const inherited = JSON.parse('{"__proto__": {"node-name": "n0"}}') as Record<string, unknown>;
    expect(run('blockdev-del', inherited)).toEqual(err("Parameter 'node-name' is missing"));
    expect(pg.graph.nbdServer).toBeNull();
  });

  it('the snapshot records of jobs and objects have no prototype, and nothing reaches Object.prototype', () => {
    const { pg, run } = runtime('dynamic');
    expect(Object.getPrototypeOf(pg.graph.jobs)).toBeNull();
    expect(Object.getPrototypeOf(pg.graph.objects)).toBeNull();
    run('object-add', { 'qom-type': 'throttle-group', id: 'constructor' });
    expect(Object.getPrototypeOf(pg.graph.objects)).toBeNull();
    expect(Object.keys(pg.graph.objects)).toEqual(['constructor']);
    const probe: Record<string, unknown> = {};
    expect(probe['constructor']).toBe(Object);
    expect(Object.keys(Object.prototype)).toEqual([]);
  });
});

describe('the record helpers', () => {
  it('take any name as a key', () => {
    const record = nameRecord<number>();
    for (const [i, name] of HOSTILE.entries()) record[name] = i;
    expect(Object.getPrototypeOf(record)).toBeNull();
    for (const [i, name] of HOSTILE.entries()) expect(ownEntry(record, name)).toBe(i);
    expect(Object.keys(nameRecord(record))).toEqual(HOSTILE);
    const plain: Record<string, number> = { a: 1 };
    for (const name of HOSTILE) expect(ownEntry(plain, name)).toBeUndefined();
  });
});
