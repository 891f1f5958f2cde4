/**
 * Replays an oracle scenario (test/fixtures/oracle: the shared QEMU oracle's scenarios and the
 * traces its driver, qsd_oracle.py, recorded on qemu-storage-daemon 7.2, copied into the project)
 * through permgraph's execute() on real files, observes after each step what the oracle's driver
 * observes, and normalizes both sides the way qsd_oracle.py does (src/diff: fd numbers, generated
 * names and anonymous backend ids left out; lists sorted).
 */
import { createRealStorage } from '../../src/host/real-storage.js';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPermgraph } from '../../src/index.js';
import { waitForJob } from '../../src/scenario/run.js';
import type { Model, QmpReply } from '../../src/index.js';
import { normalizeObservation, normalizeStep } from '../../src/diff/normalize.js';
import { observation, OBSERVATION_QUERIES, openFilesFromReply, type Reply } from '../../src/diff/observe.js';
import type { Observation, TraceStep } from '../../src/diff/trace.js';
import { FIRST_QEMU_MODEL, traceFileOf } from '../../src/diff/versions.js';

/** The oracle's scenarios beside their recorded traces (NAME.json, NAME.trace.json). */
export const SCENARIO_DIR = fileURLToPath(new URL('../fixtures/oracle', import.meta.url));

/**
 * The shared oracle beside the checkout (../shared/oracle), when there is one: its driver runs
 * the same scenarios in addition; no test needs it.
 */
export const SHARED_ORACLE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/oracle');
export const SHARED_ORACLE_DRIVER = join(SHARED_ORACLE_DIR, 'qsd_oracle.py');

/** Every oracle scenario with a trace recorded on QEMU 7.2 (the oracle's own driver's). */
export const ORACLE_SCENARIOS: readonly string[] = readdirSync(SCENARIO_DIR)
  .map(traceFileOf)
  .filter((t) => t?.model === FIRST_QEMU_MODEL)
  .map((t) => t!.stem)
  .sort();

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface Scenario {
  readonly name: string;
  readonly setup?: readonly JsonObject[];
  readonly steps: readonly JsonObject[];
}

export function loadScenario(name: string): { scenario: Scenario; trace: JsonObject } {
  const scenario = JSON.parse(readFileSync(join(SCENARIO_DIR, `${name}.json`), 'utf8')) as Scenario;
  const trace = JSON.parse(readFileSync(join(SCENARIO_DIR, `${name}.trace.json`), 'utf8')) as JsonObject;
  return { scenario, trace };
}

function subst<T extends Json>(value: T, workdir: string): T {
  return JSON.parse(JSON.stringify(value).replaceAll('$W', workdir)) as T;
}

/** Runs the setup steps for real (qemu-img, qemu-io, chmod, mkdir, touch, copy). */
export function runSetup(steps: readonly JsonObject[], workdir: string): void {
  for (const raw of steps) {
    const step = subst(raw, workdir);
    const [op, arg] = Object.entries(step)[0] as [string, Json];
    const args = (Array.isArray(arg) ? arg : [arg]) as string[];
    switch (op) {
      case 'qemu-img':
      case 'qemu-io':
        execFileSync(op, args, { stdio: 'pipe' });
        break;
      case 'chmod':
        chmodSync(args[0]!, parseInt(args[1]!, 8));
        break;
      case 'mkdir':
        mkdirSync(args[0]!, { recursive: true });
        break;
      case 'touch':
        writeFileSync(args[0]!, '', { flag: 'a' });
        break;
      case 'copy':
        copyFileSync(args[0]!, args[1]!);
        break;
      default:
        throw new Error(`setup step '${op}' is not supported by the replay`);
    }
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/** qsd_oracle.normalize() of one observation. */
export const normalizeObs = (obs: JsonObject): JsonObject => normalizeObservation(obs as unknown as Observation)!;

/** qsd_oracle.normalize() of a trace's steps. */
export const normalizeSteps = (steps: readonly JsonObject[]): JsonObject[] => steps.map((st) => normalizeStep(st as unknown as TraceStep));

type Execute = (execute: string, args?: JsonObject) => QmpReply;

/** The oracle driver's observe(), through QMP queries instead of /proc. */
export function observe(execute: Execute): JsonObject {
  const replies = OBSERVATION_QUERIES.map(([command, args]) => execute(command, args) as unknown as Reply);
  const fds = openFilesFromReply(execute('x-permgraph-query-open-files') as unknown as Reply);
  return observation(replies, fds) as unknown as JsonObject;
}

/** Replays a scenario in-process on real files under `workdir`; the normalized steps. */
export function replay(name: string, model: Model, workdir: string): JsonObject[] {
  const { scenario } = loadScenario(name);
  rmSync(workdir, { recursive: true, force: true });
  mkdirSync(workdir, { recursive: true });
  try {
    runSetup(scenario.setup ?? [], workdir);
    const pg = createPermgraph({ model, storage: createRealStorage() });
    const pending: JsonObject[] = [];
    const sub = pg.events$.subscribe((e) => {
      if (e.type === 'qmp.event') pending.push({ event: e.event, data: e.data as JsonObject });
    });
    const execute: Execute = (cmd, args) => pg.execute({ execute: cmd, ...(args ? { arguments: args } : {}) });
    const steps: JsonObject[] = [];
    for (const raw of scenario.steps) {
      const step = subst(raw, workdir);
      const rec: JsonObject = {};
      if (typeof step['execute'] === 'string') {
        rec['execute'] = step['execute'];
        if (step['arguments'] !== undefined) rec['arguments'] = step['arguments'];
        const reply = execute(step['execute'], step['arguments'] as JsonObject | undefined);
        if ('return' in reply) rec['return'] = reply.return as Json;
        else rec['error'] = reply.error as unknown as JsonObject;
      } else if (typeof step['wait-event'] === 'string') {
        rec['wait-event'] = step['wait-event'];
        const want = JSON.stringify(step['data'] ?? {});
        const at = pending.findIndex(
          (e) => e['event'] === step['wait-event'] && JSON.stringify(e['data']).includes(want.slice(1, -1)),
        );
        if (at < 0) rec['failed'] = `event ${step['wait-event']} never came`;
        else pending.splice(at, 1);
      } else if (typeof step['wait-job'] === 'string') {
        rec['wait-job'] = step['wait-job'];
        const wanted = step['status'] as string[];
        const status = waitForJob(pg, step['wait-job'], wanted);
        rec['status'] = status;
        if (!wanted.includes(status)) rec['failed'] = `job ${step['wait-job']} is ${status}`;
      } else if (typeof step['sleep'] === 'number') {
        rec['sleep'] = step['sleep'];
        pg.advance(step['sleep']);
      } else {
        throw new Error(`step kind not supported by the replay: ${JSON.stringify(step)}`);
      }
      if (step['observe'] !== false) rec['obs'] = observe(execute);
      steps.push(rec);
    }
    sub.unsubscribe();
    pg.dispose();
    return normalizeSteps(steps);
  } finally {
    rmSync(workdir, { recursive: true, force: true });
  }
}

/** The recorded trace's normalized steps, with its scratch directory swapped for `workdir`. */
export function recorded(name: string, workdir: string): JsonObject[] {
  const { trace } = loadScenario(name);
  const text = JSON.stringify(trace['steps']).replaceAll(trace['workdir'] as string, workdir);
  return normalizeSteps(JSON.parse(text) as JsonObject[]);
}

/** qsd_oracle.diff_normalized(), elementwise: one line per difference. */
export function diffSteps(want: JsonObject[], got: JsonObject[]): string[] {
  const out: string[] = [];
  const walk = (a: unknown, b: unknown, path: string): void => {
    if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
      for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
        const ra = (a as Record<string, unknown>)[key];
        const rb = (b as Record<string, unknown>)[key];
        if (ra === undefined) out.push(`${path}.${key}: only in permgraph: ${JSON.stringify(rb)}`);
        else if (rb === undefined) out.push(`${path}.${key}: only in recorded: ${JSON.stringify(ra)}`);
        else walk(ra, rb, `${path}.${key}`);
      }
    } else if (JSON.stringify(sortKeys(a)) !== JSON.stringify(sortKeys(b))) {
      out.push(`${path}: recorded ${JSON.stringify(a)} != permgraph ${JSON.stringify(b)}`);
    }
  };
  want.forEach((step, i) => walk(step, got[i], `steps[${i}]`));
  if (got.length !== want.length) out.push(`steps: recorded ${want.length} steps, permgraph ${got.length}`);
  return out;
}

export const scenarioExists = (name: string): boolean => existsSync(join(SCENARIO_DIR, `${name}.json`));

/**
 * Replays a scenario in a child process as the scenario's user (the recordings were made as
 * `nobody`, for whom a 0444 file is really unwritable); as the current user when not root.
 */
export function replayAsScenarioUser(name: string, model: Model): JsonObject[] {
  const scratch = mkdtempSync(join(tmpdir(), 'permgraph-oracle-'));
  const workdir = join(scratch, `${name}-${model}`);
  const worker = fileURLToPath(new URL('./replay-worker.ts', import.meta.url));
  const node = [process.execPath, '--import', 'tsx', worker, name, model, workdir];
  const argv = process.getuid?.() === 0
    ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...node]
    : node;
  chmodSync(scratch, 0o777);
  const run = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', cwd: resolve(dirname(worker), '../..') });
  rmSync(scratch, { recursive: true, force: true });
  if (run.status !== 0) throw new Error(`replay of ${name} failed: ${run.stderr || run.error}`);
  const steps = JSON.parse(run.stdout) as JsonObject[];
  return JSON.parse(JSON.stringify(steps).replaceAll(workdir, '$W')) as JsonObject[];
}

/** The recorded trace, normalized, with its scratch directory written as $W. */
export function recordedSteps(name: string): JsonObject[] {
  return recorded(name, '$W');
}

const letters = (perms: Json | undefined): string => {
  const set = new Set((perms as string[] | undefined) ?? []);
  const out = ['consistent-read', 'write', 'write-unchanged', 'resize']
    .map((p, i) => (set.has(p) ? 'CWUR'[i] : ''))
    .join('');
  return out || '-';
};

/**
 * The differences between two normalized traces, one short line each: `[3] ro f0: false -> true`,
 * `[5] edge q -file-> f: perm CWR -> C`, `[5] fd $W/a.img: O_RDWR … -> O_RDONLY …`,
 * `[7] reply: … -> …`. For stating what a model changes against the recording.
 */
export function compactDifferences(before: JsonObject[], after: JsonObject[]): string[] {
  const out: string[] = [];
  before.forEach((a, i) => {
    const b = after[i] ?? {};
    const replyOf = (s: JsonObject): string => JSON.stringify(s['error'] ?? s['return'] ?? s['failed'] ?? null);
    if (replyOf(a) !== replyOf(b)) out.push(`[${i}] reply: ${replyOf(a)} -> ${replyOf(b)}`);
    const oa = (a['obs'] ?? {}) as JsonObject;
    const ob = (b['obs'] ?? {}) as JsonObject;
    const ro = (o: JsonObject): Map<string, Json> =>
      new Map(((o['nodes'] as JsonObject[] | undefined) ?? []).map((n) => [n['node-name'] as string, n['ro']!]));
    const [ra, rb] = [ro(oa), ro(ob)];
    for (const name of new Set([...ra.keys(), ...rb.keys()])) {
      if (ra.get(name) !== rb.get(name)) out.push(`[${i}] ro ${name}: ${ra.get(name)} -> ${rb.get(name)}`);
    }
    const edges = (o: JsonObject): Map<string, string> =>
      new Map(
        (((o['graph'] as JsonObject | undefined)?.['edges'] as JsonObject[] | undefined) ?? []).map((e) => [
          `${e['parent']} -${e['name']}-> ${e['child']}`.replaceAll('block-driver:', ''),
          `${letters(e['perm'])}/${letters(e['shared-perm'])}`,
        ]),
      );
    const [ea, eb] = [edges(oa), edges(ob)];
    for (const key of new Set([...ea.keys(), ...eb.keys()])) {
      if (ea.get(key) !== eb.get(key)) out.push(`[${i}] edge ${key}: ${ea.get(key) ?? 'none'} -> ${eb.get(key) ?? 'none'}`);
    }
    const fds = (o: JsonObject): string => JSON.stringify(o['fds'] ?? []);
    if (fds(oa) !== fds(ob)) out.push(`[${i}] fds: ${fds(oa)} -> ${fds(ob)}`);
  });
  return out;
}
