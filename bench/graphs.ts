/** The graphs the benchmarks measure on, built through the public API. */
import { createPermgraph, createVirtualStorage, type Model, type Permgraph, type VirtualFile } from '../src/index.js';

export function ok(pg: Permgraph, execute: string, args: Record<string, unknown>): void {
  const reply = pg.execute({ execute, arguments: args });
  if ('error' in reply) throw new Error(`${execute}: ${reply.error.desc}`);
}

/**
 * A backing chain of `nodes` nodes: qcow2 images over file nodes, the top read-write with a
 * read-only NBD export on it (the guest's reader), the NBD server running.
 */
export function chain(model: Model, nodes: number, actors: boolean | 'lazy' = false): Permgraph {
  const images = Math.max(1, nodes >> 1);
  const files: Record<string, VirtualFile> = {};
  for (let i = 0; i <= images + 1; i++) files[`/c/${i}.qcow2`] = { format: 'qcow2', size: 1 << 20 };
  const pg = createPermgraph({ model, storage: createVirtualStorage(files), nodeActors: actors });
  for (let i = 0; i < images; i++) {
    ok(pg, 'blockdev-add', {
      driver: 'qcow2',
      'node-name': `n${i}`,
      'read-only': i < images - 1,
      backing: i === 0 ? null : `n${i - 1}`,
      file: { driver: 'file', 'node-name': `f${i}`, filename: `/c/${i}.qcow2`, 'auto-read-only': true },
    });
  }
  ok(pg, 'nbd-server-start', { addr: { type: 'unix', data: { path: '/tmp/bench.sock' } } });
  ok(pg, 'block-export-add', { type: 'nbd', id: 'reader', 'node-name': `n${images - 1}` });
  return pg;
}

/** Chains of ten nodes side by side, `nodes` in all: a forest. */
export function forest(model: Model, nodes: number): { pg: Permgraph; tops: string[]; all: string[] } {
  const perChain = 5;
  const chains = Math.max(1, Math.floor(nodes / (2 * perChain)));
  const files: Record<string, VirtualFile> = {};
  for (let c = 0; c < chains; c++) for (let i = 0; i < perChain; i++) files[`/f/${c}-${i}.qcow2`] = { format: 'qcow2', size: 1 << 20 };
  const pg = createPermgraph({ model, storage: createVirtualStorage(files), nodeActors: false });
  const tops: string[] = [];
  const all: string[] = [];
  for (let c = 0; c < chains; c++) {
    for (let i = 0; i < perChain; i++) {
      const name = `c${c}n${i}`;
      ok(pg, 'blockdev-add', {
        driver: 'qcow2',
        'node-name': name,
        'read-only': i < perChain - 1,
        backing: i === 0 ? null : `c${c}n${i - 1}`,
        file: { driver: 'file', filename: `/f/${c}-${i}.qcow2`, 'auto-read-only': true },
      });
      all.push(name);
    }
    tops.push(`c${c}n${perChain - 1}`);
  }
  ok(pg, 'nbd-server-start', { addr: { type: 'unix', data: { path: '/tmp/bench.sock' } } });
  return { pg, tops, all };
}
