/**
 * The bounded explorer: canonical state keys, the default universe explored to exhaustion in both
 * models, and `permgraph check` end to end: a counterexample that `permgraph run` reproduces.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_UNIVERSE } from '../../src/check/default-universe.js';
import { explore, type Progress } from '../../src/check/explore.js';
import { stateKey, stateText } from '../../src/check/state-key.js';
import { parseUniverse } from '../../src/check/universe.js';
import { counterexampleScenario, scenarioYaml } from '../../src/check/counterexample.js';
import { parseScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/scenario/run.js';
import { virtualStorageFor } from '../../src/scenario/virtual-setup.js';
import { World } from '../../src/check/world.js';
import { cli } from '../support/cli.js';
import { CHAIN3 } from './support/universes.js';
import { checkCommand } from '../../src/cli/check-command.js';
import { MODELS } from '../../machines/node.types.js';

const scratch = mkdtempSync(join(tmpdir(), 'permgraph-check-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const command = (world: World, execute: string, id?: string): number =>
  world.commands.findIndex((c) => 'execute' in c && c.execute === execute && (id === undefined || JSON.stringify(c.arguments).includes(`"${id}"`)));

describe('canonical state keys', () => {
  const world = new World(DEFAULT_UNIVERSE, { model: 'dynamic' });
  const add = command(world, 'block-export-add', 'guest');
  const del = command(world, 'block-export-del', 'guest');
  const chmodRo = world.commands.findIndex((c) => 'chmod' in c && c.chmod[1] === '0444');

  it('a state reached again by another path has the same key, whatever its edge ids', () => {
    const first = world.initial;
    const added = world.step(first, add).state;
    const back = world.step(added, del).state;
    const again = world.step(back, add).state;
    expect(again.graph).not.toBe(added.graph);
    expect(stateKey(back.graph, back.storage.key)).toBe(stateKey(first.graph, first.storage.key));
    expect(stateText(again.graph, again.storage.key)).toBe(stateText(added.graph, added.storage.key));
    expect(stateKey(added.graph, added.storage.key)).not.toBe(stateKey(first.graph, first.storage.key));
  });

  it('storage is part of the state, and a chmod back is the same storage', () => {
    const ro = world.step(world.initial, chmodRo).state;
    expect(ro.graph).toBe(world.initial.graph);
    expect(ro.storage.key).toBe('/scenario/libvirt-chain/base.qcow2:r-');
    const back = world.step(ro, chmodRo + 1).state;
    expect(back.storage).toBe(world.initial.storage);
  });

  it('generated names are keyed by what they are, not their number', () => {
    const commit = command(world, 'block-commit');
    const cancel = command(world, 'block-job-cancel');
    const dismiss = command(world, 'job-dismiss');
    const advance = world.commands.findIndex((c) => 'advance' in c);
    const once = world.step(world.initial, commit).state;
    let twice = world.initial;
    for (const c of [commit, cancel, advance, dismiss, commit]) twice = world.step(twice, c).state;
    expect(stateText(once.graph, '')).toMatch(/#commit_top>mid/);
    expect(stateText(twice.graph, '')).toBe(stateText(once.graph, ''));
  });
});

describe('state keys from the state before', () => {
  it('over the whole default universe, a key from the state before is the key on its own, and keys part states as their texts do', () => {
    for (const model of ['dynamic', 'qemu-7.2'] as const) {
      const world = new World(DEFAULT_UNIVERSE, { model });
      const keyOf = new Map<string, bigint>();
      const textOf = new Map<bigint, string>();
      const states = [world.initial];
      const seen = new Set([stateText(world.initial.graph, world.initial.storage.key)]);
      stateKey(world.initial.graph, world.initial.storage.key);
      for (let at = 0; at < states.length; at++) {
        for (let c = 0; c < world.commands.length; c++) {
          const from = states[at]!;
          const to = world.step(from, c).state;
          const key = stateKey(to.graph, to.storage.key, from.graph);
          const text = stateText(to.graph, to.storage.key);
          expect(keyOf.get(text) ?? key).toBe(key);
          expect(textOf.get(key) ?? text).toBe(text);
          keyOf.set(text, key);
          textOf.set(key, text);
          if (!seen.has(text)) {
            seen.add(text);
            states.push(to);
          }
        }
      }
      // a fresh snapshot of each state, keyed on its own, gets the same key
      for (const state of states.slice(0, 20)) {
        const copy = { ...state.graph };
        expect(stateKey(copy, state.storage.key)).toBe(keyOf.get(stateText(state.graph, state.storage.key)));
      }
      expect(states.length).toBe(168);
    }
  });
});

describe('counterexample scenarios', () => {
  it('replay every kind of command with the replies the explorer saw', () => {
    const world = new World(DEFAULT_UNIVERSE, { model: 'qemu-7.2' });
    const chmod = world.commands.findIndex((c) => 'chmod' in c);
    const advance = world.commands.findIndex((c) => 'advance' in c);
    const dismiss = command(world, 'job-dismiss');
    const path = [command(world, 'block-commit'), dismiss, chmod, command(world, 'blockdev-reopen'), advance, dismiss, command(world, 'block-export-add', 'guest')];
    const file = join(scratch, 'replay.yaml');
    const text = scenarioYaml(counterexampleScenario(world, path, []), file);
    expect(text).toContain("chmod:\n      - $W/base.qcow2\n      - \"0444\"");
    const scenario = parseScenario(text, file);
    const result = runScenario(scenario, { model: 'qemu-7.2', storage: virtualStorageFor(scenario, world.workdir, file), workdir: world.workdir });
    result.permgraph.dispose();
    expect(result.invariantsChecked).toBe(true);
    expect(result.steps.filter((s) => s.check && !s.check.ok).map((s) => s.check?.message)).toEqual([]);
    expect(result.steps.some((s) => s.reply && 'error' in s.reply)).toBe(true);
    expect(result.ok).toBe(true);
  });
});

describe('the default universe', () => {
  for (const model of MODELS) {
    it(`is explored to exhaustion with no invariant broken (${model})`, () => {
      const seen: Progress[] = [];
      const result = explore(new World(DEFAULT_UNIVERSE, { model }), { depth: 10, progressEveryMs: 0, onProgress: (p) => seen.push(p) });
      expect(result.found).toBeUndefined();
      expect(result.exhausted).toBe(true);
      expect(result.states).toBeGreaterThan(100);
      expect(result.depthReached).toBeLessThan(10);
      expect(result.transitions).toBe(result.states * DEFAULT_UNIVERSE.commands.length);
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every((p, i) => i === 0 || p.states >= seen[i - 1]!.states)).toBe(true);
    });
  }

  it('and the three-image chain with a stream too, in both models', () => {
    for (const model of MODELS) {
      const result = explore(new World(CHAIN3, { model }), { depth: 20 });
      expect(result).toMatchObject({ exhausted: true, states: 444 });
      expect(result.found).toBeUndefined();
    }
  });

  it('stops at its depth bound', () => {
    const result = explore(new World(DEFAULT_UNIVERSE, { model: 'dynamic' }), { depth: 2 });
    expect(result).toMatchObject({ depthReached: 2, exhausted: false });
  });
});

describe('permgraph check', () => {
  it('explores the default universe and sums up', async () => {
    const { code, out, err } = await cli('check', '--depth', '3');
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/^# universe libvirt-chain \(model dynamic\): 14 commands, depth 3\n/);
    expect(out).toMatch(/\n\d+ states, \d+ transitions, depth reached 3 of 3 \(bounded at 3\), \d+\.\d\d s, \d+ states\/s, \d+ threads?, store \d+\.\d MiB, peak RSS \d+ MiB\n/);
    expect(out).toContain('no invariant broken (12 invariants checked in every state)');
  });

  it('finds QEMU 7.2 breaking atomicity, and writes a counterexample that permgraph run reproduces', async () => {
    const file = join(scratch, 'leak.yaml');
    const { code, out } = await cli('check', '--universe', 'test/model/fixtures/stream-leak.yaml', '--model', 'qemu-7.2', '--out', file);
    expect(code).toBe(1);
    expect(out).toContain('stopped at the first violation');
    expect(out).toMatch(/INVARIANT refused-command-unchanged: refused block-stream .* changed the graph at nodes\[top\]\.parents.*\[QEMU quirk: /);
    expect(out).toContain(`counterexample (2 commands after the start) written to ${file}; replay with: permgraph run ${file}`);
    expect(readFileSync(file, 'utf8')).toMatch(/^# Replay with: permgraph run .*\nname: stream-leak\n/);

    const replay = await cli('run', file);
    expect(replay.code).toBe(1);
    expect(replay.out).toContain('INVARIANT refused-command-unchanged: refused block-stream');
    expect(replay.out).toMatch(/6 steps, 0 expectations failed, 1 invariant violation\n$/);
  });

  it('prints the counterexample with --out -', async () => {
    const { code, out } = await cli('check', '--universe', 'test/model/fixtures/stream-leak.yaml', '--model', 'qemu-7.2', '--out', '-');
    expect(code).toBe(1);
    expect(out).toContain('# Replay with: permgraph run FILE\nname: stream-leak\n');
  });

  it('goes on past the quirk with --allow-quirks', async () => {
    const { code, out } = await cli('check', '--universe', 'test/model/fixtures/stream-leak.yaml', '--model', 'qemu-7.2', '--allow-quirks', '--depth', '8');
    expect(code).toBe(0);
    expect(out).toContain('no invariant broken');
  });

  it('draws its progress line on a terminal, and nothing elsewhere', async () => {
    const drawn = async (isTTY: boolean): Promise<string> => {
      const stream = Object.assign(new PassThrough(), { isTTY, columns: 200 });
      let text = '';
      stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
      expect(await checkCommand({ depth: 3 }, () => {}, stream)).toBe(0);
      return text;
    };
    expect(await drawn(true)).toMatch(/exploring \| depth 3 \| \d+ states \| \d+ states\/s \| queue \d+ \| \d+ transitions \| \d+\.\d s/);
    expect(await drawn(false)).toBe('');
  });

  it('finds nothing in the dynamic model, which has no such leak', async () => {
    const { code, out } = await cli('check', '--universe', 'test/model/fixtures/stream-leak.yaml');
    expect(code).toBe(0);
    expect(out).toContain('(every reachable state visited)');
  });

  it('prints the default universe, which loads back as a universe', async () => {
    const { code, out } = await cli('check', '--print-universe');
    expect(code).toBe(0);
    const file = join(scratch, 'default.yaml');
    writeFileSync(file, out);
    expect(parseUniverse(out, file)).toEqual(DEFAULT_UNIVERSE);
    expect((await cli('check', '--universe', file, '--depth', '1')).code).toBe(0);
  });

  it('refuses bad input with one line and exit 2', async () => {
    const bad = join(scratch, 'bad.yaml');
    writeFileSync(bad, 'name: x\nstart: []\ncommands: [{execute: quit, oops: 1}]\n');
    const cases: [string[], RegExp][] = [
      [['check', '--depth', 'x'], /--depth <n>' argument 'x' is invalid/],
      [['check', '--universe', join(scratch, 'missing.yaml')], /missing\.yaml: cannot read: no such file\n$/],
      [['check', '--universe', bad], /bad\.yaml: commands\[0\]: unknown field 'oops'\n$/],
      [['check', '--model', 'qemu-9'], /argument 'qemu-9' is invalid/],
    ];
    for (const [argv, message] of cases) {
      const { code, err } = await cli(...argv);
      expect(code, argv.join(' ')).toBe(2);
      expect(err).toMatch(message);
      expect(err.trim().split('\n')).toHaveLength(1);
    }
    const failingStart = join(scratch, 'start.yaml');
    writeFileSync(failingStart, 'name: s\nstart: [{execute: blockdev-del, arguments: {node-name: nope}}]\ncommands: [{advance: 1}]\n');
    const { code, err } = await cli('check', '--universe', failingStart);
    expect(code).toBe(2);
    expect(err).toBe("permgraph: s: start[0] (blockdev-del {\"node-name\":\"nope\"}) failed: Failed to find node with node-name='nope'\n");
    const missingFile = join(scratch, 'chmod.yaml');
    writeFileSync(missingFile, "name: c\nfiles: {/a.img: {}}\nstart: []\ncommands: [{advance: 1}, {chmod: [/nope, '0444']}]\n");
    const chmod = await cli('check', '--universe', missingFile);
    expect(chmod).toMatchObject({ code: 2, err: "permgraph: c: commands[1]: chmod: no such file '/nope'\n" });
  });

  it('has --help', async () => {
    const { code, out } = await cli('check', '--help');
    expect(code).toBe(0);
    expect(out).toContain('--universe <file>');
  });
});

describe('permgraph run --check-invariants', () => {
  it('checks every step of a clean scenario and says so', async () => {
    const { code, out } = await cli('run', '--check-invariants', 'examples/commit-auto-read-only.yaml');
    expect(code).toBe(0);
    expect(out).toMatch(/14 steps, 0 expectations failed, 0 invariant violations\n$/);
  });

  it('applies chmod steps to virtual storage, and refuses them on real files', async () => {
    const file = join(scratch, 'chmod.yaml');
    writeFileSync(
      file,
      [
        'files: {/i/a.img: {format: raw, size: 1M}}',
        'steps:',
        '  - {execute: blockdev-add, arguments: {driver: file, node-name: f, filename: /i/a.img, auto-read-only: true}}',
        "  - {chmod: [/i/a.img, '0444']}",
        '  - {execute: nbd-server-start, arguments: {addr: {type: unix, data: {path: /i/s}}}}',
        '  - {execute: block-export-add, arguments: {type: nbd, id: e, node-name: f, writable: true}, expect: {desc_contains: Permission denied}}',
      ].join('\n'),
    );
    const { code, out } = await cli('run', '--check-invariants', file);
    expect(out).toContain("chmod /i/a.img 0444");
    expect(code).toBe(0);
    const real = await cli('run', '--storage', 'real', file);
    expect(real.code).toBe(2);
    expect(real.err).toBe(`permgraph: ${file}: steps[1]: chmod needs virtual storage (--storage virtual)\n`);
  });
});
