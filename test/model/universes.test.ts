/**
 * The example universes (examples/universes/*.yaml): each loads, starts (every start command
 * succeeds) in every model, and keeps every invariant to a small depth. And what they rest on:
 * a dirty bitmap is part of a state's key, so a state with one is explored apart from the same
 * graph without it.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MODELS } from '../../machines/node.types.js';
import { explore } from '../../src/check/explore.js';
import { stateKey } from '../../src/check/state-key.js';
import { loadUniverse } from '../../src/check/universe.js';
import { World } from '../../src/check/world.js';

const DIR = fileURLToPath(new URL('../../examples/universes/', import.meta.url));
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();

/** How deep each universe is explored here: the big ones less deep. */
const DEPTH: Record<string, number> = { 'every-command-3-nodes.yaml': 2, 'five-disks.yaml': 2 };

/** The universes that show a documented QEMU quirk in the QEMU models (their descriptions say which). */
const SHOWS_QUIRK = new Set(['4layer.yaml']);

describe('the example universes', () => {
  it('are all here', () => {
    expect(FILES).toEqual(
      expect.arrayContaining(['4layer.yaml', 'every-command-3-nodes.yaml', 'five-disks.yaml', 'job-backup.yaml', 'job-commit.yaml', 'job-mirror.yaml', 'job-stream.yaml', 'nbd-chain.yaml']),
    );
  });

  for (const file of FILES) {
    const universe = loadUniverse(`${DIR}${file}`);
    it(`${file}: names itself after its file and says what it checks`, () => {
      expect(file.replace(/\.yaml$/, '')).toBe(universe.name);
      expect(universe.description?.length).toBeGreaterThan(100);
    });
    for (const model of MODELS) {
      it(`${file}: starts and keeps every invariant to depth ${DEPTH[file] ?? 3} (${model})`, () => {
        const world = new World(universe, { model });
        const depth = DEPTH[file] ?? 3;
        const result = explore(world, { depth, allowQuirks: SHOWS_QUIRK.has(file), symmetry: true });
        expect(result.found).toBeUndefined();
        if (SHOWS_QUIRK.has(file) && model !== 'dynamic') expect(explore(world, { depth }).found?.violations[0]?.quirk).toBeDefined();
        expect(result.states).toBeGreaterThan(world.commands.length / 2);
      });
    }
  }
});

describe('state keys and dirty bitmaps', () => {
  it('a bitmap added is a new state, and removing it comes back to the state before', () => {
    const world = new World(loadUniverse(`${DIR}job-backup.yaml`), { model: 'qemu-7.2' });
    const index = (execute: string): number => world.commands.findIndex((c) => 'execute' in c && c.execute === execute);
    const first = world.initial;
    const added = world.step(first, index('block-dirty-bitmap-add')).state;
    const removed = world.step(added, index('block-dirty-bitmap-remove')).state;
    expect(added.graph).not.toBe(first.graph);
    expect(stateKey(added.graph, added.storage.key, first.graph)).not.toBe(stateKey(first.graph, first.storage.key));
    expect(stateKey(removed.graph, removed.storage.key, added.graph)).toBe(stateKey(first.graph, first.storage.key));
  });
});
