/**
 * The models' versions: which model a QEMU release picks, where each version's daemon and traces
 * are, and the QMP surface of each release (members and commands QEMU added, members that moved).
 */
import { describe, expect, it } from 'vitest';
import { daemonBinary, modelOfTrace, modelOfVersion, QEMU_MODELS, toolBeside, traceFileOf, tracePathFor } from '../../src/diff/versions.js';
import { MODELS } from '../../machines/node.types.js';
import { modelForQemu, rulesOf } from '../../src/models/rules.js';
import { schemaFor } from '../../src/qapi/release-schema.js';
import { before, int, opt, req, since, str, struct, type QapiType } from '../../src/qapi/schema.js';
import { visit } from '../../src/qapi/visit.js';
import { createPermgraph } from '../../src/index.js';

describe('QEMU releases and models', () => {
  it('each QEMU model follows one release; the dynamic model none', () => {
    expect(QEMU_MODELS).toEqual(['qemu-7.2', 'qemu-10.0']);
    expect(MODELS.filter((m) => !rulesOf(m).qemu)).toEqual(['dynamic']);
    expect(modelForQemu({ major: 7, minor: 2, micro: 0 })).toBe('qemu-7.2');
    expect(modelForQemu({ major: 10, minor: 0, micro: 9 })).toBe('qemu-10.0');
    expect(modelForQemu({ major: 9, minor: 2, micro: 0 })).toBeNull();
    expect(() => modelOfVersion({ major: 8, minor: 2, micro: 1 })).toThrow('no model follows QEMU 8.2.1; the QEMU models are qemu-7.2 (7.2.22), qemu-10.0 (10.0.2)');
    expect(modelOfTrace({ qemu: { qemu: { major: 10, minor: 0, micro: 2 } } })).toBe('qemu-10.0');
    // the oracle's older traces say no version: QEMU 7.2's
    expect(modelOfTrace({ qemu: null })).toBe('qemu-7.2');
  });

  it('names traces by version, and reads the names back', () => {
    expect(tracePathFor('c/a.json')).toBe('c/a.trace.json');
    expect(tracePathFor('examples/x.yaml', 'qemu-10.0')).toBe('examples/x.qemu-10.0.trace.json');
    expect(traceFileOf('a.trace.json')).toEqual({ stem: 'a', model: 'qemu-7.2' });
    expect(traceFileOf('a.qemu-10.0.trace.json')).toEqual({ stem: 'a', model: 'qemu-10.0' });
    expect(traceFileOf('a.json')).toBeNull();
  });

  it("finds each version's daemon, and its tools beside it", () => {
    expect(daemonBinary('qemu-7.2', {})).toBe('qemu-storage-daemon');
    expect(daemonBinary('qemu-10.0', {})).toBe('/opt/qemu-10.0/root/usr/bin/qemu-storage-daemon');
    expect(daemonBinary('qemu-10.0', { PERMGRAPH_QSD_10_0: '/x/qsd' })).toBe('/x/qsd');
    expect(() => daemonBinary('dynamic', {})).toThrow('follows no QEMU release');
    expect(toolBeside('/x/bin/qemu-storage-daemon', 'qemu-img')).toBe('/x/bin/qemu-img');
    expect(toolBeside('qemu-storage-daemon', 'qemu-img')).toBe('qemu-img');
  });
});

describe("a release's QMP surface", () => {
  const args: QapiType = struct(before(1000, req('addr', str)), since(1000, opt('new', int)), opt('tls', str), since(1000, req('addr', str)));
  const check = (value: unknown, release: number): string => {
    try {
      visit(value, schemaFor(args, release));
      return 'ok';
    } catch (error) {
      return (error as Error).message;
    }
  };

  it('leaves out what a later release added, and puts a moved member where the release has it', () => {
    expect(check({ addr: 'a', new: 1 }, 702)).toBe("Parameter 'new' is unexpected");
    expect(check({ addr: 'a', new: 1 }, 1000)).toBe('ok');
    expect(check({ tls: 5 }, 702)).toBe("Parameter 'addr' is missing");
    expect(check({ tls: 5 }, 1000)).toBe("Invalid parameter type for 'tls', expected: string");
    expect(schemaFor(args, 702)).toBe(schemaFor(args, 702));
  });

  it('knows a command from the release that added it on', () => {
    for (const model of MODELS) {
      const reply = createPermgraph({ model }).execute({ execute: 'block-job-change', arguments: { id: 'j', type: 'mirror', 'copy-mode': 'write-blocking' } });
      expect(reply).toEqual(
        rulesOf(model).qapiRelease >= 1000
          ? { error: { class: 'DeviceNotActive', desc: "Block job 'j' not found" } }
          : { error: { class: 'CommandNotFound', desc: 'The command block-job-change has not been found' } },
      );
    }
  });
});
