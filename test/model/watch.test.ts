/**
 * `--check-invariants` on a live runtime (what `permgraph qmp --check-invariants` serves): every
 * command and clock advance is checked, and what broke is reported with the command after which
 * it broke.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import type { Model } from '../../src/graph/types.js';
import { withInvariantChecks } from '../../src/runtime/invariant-checks.js';
import { formatViolation } from '../../src/invariants/index.js';
import { createPermgraph, type PermgraphOptions } from '../../src/runtime/permgraph.js';
import { startQmpServer } from '../../src/server/qmp-server.js';
import { createVirtualStorage } from '../../src/storage/virtual-storage.js';
import { NEVER_DROPS_BACK } from './support/mutants.js';

function watched(model: Model, variant: Pick<PermgraphOptions, 'nodeMachine'> = {}) {
  const storage = createVirtualStorage({ '/i/a.img': { format: 'raw', size: 1 << 20 } });
  const reports: string[] = [];
  const pg = withInvariantChecks(createPermgraph({ model, storage, nodeActors: false, ...variant }), storage, (violations, after) => {
    for (const v of violations) reports.push(`${after}: ${formatViolation(v)}`);
  });
  return { pg, reports };
}

const COMMANDS = [
  { execute: 'blockdev-add', arguments: { driver: 'file', 'node-name': 'f', filename: '/i/a.img', 'auto-read-only': true } },
  { execute: 'nbd-server-start', arguments: { addr: { type: 'unix', data: { path: '/i/s' } } } },
  { execute: 'block-export-add', arguments: { type: 'nbd', id: 'e', 'node-name': 'f', writable: true } },
  { execute: 'block-export-del', arguments: { id: 'e' } },
];

describe('a runtime checked after every command', () => {
  for (const model of ['dynamic', 'qemu-7.2'] as Model[]) {
    it(`reports nothing while nothing breaks (${model})`, () => {
      const { pg, reports } = watched(model);
      for (const c of COMMANDS) expect(pg.execute(c)).toEqual({ return: {} });
      pg.advance(1);
      expect(pg.graph.nodes).toBeDefined();
      expect(reports).toEqual([]);
      pg.dispose();
    });

    it(`reports what broke, after which command (${model})`, () => {
      const { pg, reports } = watched(model, { nodeMachine: NEVER_DROPS_BACK });
      for (const c of COMMANDS) pg.execute(c);
      const invariant = model === 'dynamic' ? 'dynamic-read-write-iff-writer' : 'fd-follows-writers';
      expect(reports.some((r) => r.startsWith(`block-export-del: ${invariant}: `))).toBe(true);
      expect(reports.every((r) => r.startsWith('block-export-del: '))).toBe(true);
      pg.dispose();
    });
  }

  it('is what the QMP server talks to', async () => {
    const { pg, reports } = watched('qemu-7.2', { nodeMachine: NEVER_DROPS_BACK });
    const input = new PassThrough();
    const output = new PassThrough();
    let text = '';
    output.setEncoding('utf8');
    output.on('data', (chunk: string) => (text += chunk));
    const server = await startQmpServer({ permgraph: pg, stdio: { input, output } });
    input.write(['{"execute": "qmp_capabilities"}', ...COMMANDS.map((c) => JSON.stringify(c))].join('\n') + '\n');
    await expect.poll(() => text.split('\r\n').length).toBeGreaterThanOrEqual(7);
    expect(reports.some((r) => r.startsWith('block-export-del: fd-follows-writers: '))).toBe(true);
    await server.close();
    pg.dispose();
  });

  it('is an option of permgraph qmp and permgraph run', async () => {
    for (const sub of ['qmp', 'run']) {
      let out = '';
      expect(await runCli([sub, '--help'], { stdout: (t) => (out += t), stderr: () => {} })).toBe(0);
      expect(out).toContain('--check-invariants');
    }
  });
});
