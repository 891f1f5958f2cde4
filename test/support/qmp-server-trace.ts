/**
 * A scenario run on `permgraph qmp` in a process of its own, the way the project's harness
 * (src/diff) runs it on qemu-storage-daemon: a mkdtemp scratch directory owned by the scenario's
 * user, the setup done for real (qemu-img, qemu-io, chmod, …), the server started as that user on
 * a unix socket, every step sent over QMP and, after each, the same queries as the daemon gets,
 * with x-permgraph-query-open-files in place of /proc. The trace has the recording's shape, so
 * src/diff normalizes and compares the two. The server is stopped by its pid, the setup undone
 * and the directory removed, whatever happens.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { identity as identityOf, type Identity } from '../../src/diff/identity.js';
import { observation, OBSERVATION_QUERIES, openFilesFromReply, type Reply } from '../../src/diff/observe.js';
import { QmpClient } from '../../src/diff/qmp-client.js';
import { realSetup, type RealSetup } from '../../src/diff/real-setup.js';
import type { JsonObject, Observation, QmpEvent, Trace, TraceStep } from '../../src/diff/trace.js';
import type { Model } from '../../src/index.js';
import { isStorageStep, type Scenario, type Step } from '../../src/scenario/schema.js';
import { storageStepArgument, storageStepKind } from '../../src/scenario/storage-steps.js';
import { substitute } from '../../src/scenario/virtual-setup.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'src/cli/main.ts');
/** Every QMP read's limit; the server's start (node and tsx) may take longer. */
const TIMEOUT_MS = 10_000;
const START_MS = 30_000;
/** Events let settle before each observation, as the daemon's harness does. */
const SETTLE_MS = 50;

export interface ServerRunOptions {
  readonly model: Model;
  /** The user the server and setup run as (default: the scenario's `as_user`; 'self': as you). */
  readonly asUser?: string;
}

interface Server {
  readonly child: ChildProcess;
  readonly qmp: QmpClient;
  output(): string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** `permgraph qmp` started as `who`, connected and past qmp_capabilities. */
async function startServer(who: Identity, socket: string, model: Model): Promise<Server> {
  const argv = who.wrap([process.execPath, '--import', 'tsx', CLI, 'qmp', '--socket', socket, '--model', model]);
  const child = spawn(argv[0]!, argv.slice(1), { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (t: string) => (output += t));
  child.stderr?.setEncoding('utf8').on('data', (t: string) => (output += t));
  const server = { child, output: () => output };
  const deadline = Date.now() + START_MS;
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`permgraph qmp exited early: ${output.trim().slice(-2000)}`);
      const qmp = existsSync(socket) ? await QmpClient.connect(socket, TIMEOUT_MS).catch(() => null) : null;
      if (qmp) {
        await qmp.greeting();
        await qmp.execute('qmp_capabilities');
        return { ...server, qmp };
      }
      if (Date.now() > deadline) throw new Error(`permgraph qmp did not listen on ${socket} within ${START_MS / 1000}s: ${output.trim().slice(-2000)}`);
      await sleep(20);
    }
  } catch (error) {
    await stopServer(child);
    throw error;
  }
}

/** SIGTERM by pid, SIGKILL after 5 s. */
async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

async function observe(qmp: QmpClient): Promise<{ obs: Observation; events: QmpEvent[] }> {
  const replies: Reply[] = [];
  const events: QmpEvent[] = [];
  for (const [command, args] of [...OBSERVATION_QUERIES, ['x-permgraph-query-open-files', undefined] as const]) {
    const result = await qmp.execute(command, args);
    replies.push(result.reply);
    events.push(...result.events);
  }
  const fds = openFilesFromReply(replies.pop()!);
  return { obs: observation(replies, fds), events };
}

async function waitJob(qmp: QmpClient, id: string, statuses: readonly string[], timeoutMs: number): Promise<{ status: string; events: QmpEvent[] }> {
  const deadline = Date.now() + timeoutMs;
  const events: QmpEvent[] = [];
  for (;;) {
    const { reply, events: seen } = await qmp.execute('query-jobs');
    events.push(...seen);
    const jobs = 'return' in reply && Array.isArray(reply.return) ? (reply.return as JsonObject[]) : [];
    const status = (jobs.find((j) => j['id'] === id)?.['status'] as string | undefined) ?? 'absent';
    if (statuses.includes(status) || Date.now() > deadline) return { status, events };
    await sleep(20);
  }
}

/** One step sent; what it did written into `rec`; the events seen meanwhile. */
async function runStep(qmp: QmpClient, step: Step, rec: Record<string, unknown>, setup: RealSetup): Promise<QmpEvent[]> {
  const limit = (seconds: number | undefined): number => (seconds ?? TIMEOUT_MS / 1000) * 1000;
  if ('execute' in step) {
    rec['execute'] = step.execute;
    if (step.arguments) rec['arguments'] = step.arguments;
    const { reply, events } = await qmp.execute(step.execute, step.arguments as JsonObject | undefined, limit(step.timeout));
    if ('error' in reply) rec['error'] = { class: reply.error.class, desc: reply.error.desc };
    else rec['return'] = reply.return;
    return events;
  }
  if ('wait-event' in step) {
    rec['wait-event'] = step['wait-event'];
    const { matched, events } = await qmp.waitEvent(step['wait-event'], step.data as JsonObject | undefined, limit(step.timeout));
    rec['matched'] = matched;
    return events;
  }
  if ('wait-job' in step) {
    rec['wait-job'] = step['wait-job'];
    const { status, events } = await waitJob(qmp, step['wait-job'], step.status, limit(step.timeout));
    rec['status'] = status;
    return events;
  }
  if (isStorageStep(step)) {
    rec[storageStepKind(step)] = storageStepArgument(step);
    setup.change(step);
    return [];
  }
  const seconds = 'sleep' in step ? step.sleep : step.advance;
  rec['sleep' in step ? 'sleep' : 'advance'] = seconds;
  return qmp.pollEvents(seconds * 1000);
}

async function runSteps(qmp: QmpClient, steps: readonly Step[], setup: RealSetup): Promise<TraceStep[]> {
  const out: TraceStep[] = [];
  for (const [i, step] of steps.entries()) {
    const rec: Record<string, unknown> = { i, ...(step.note ? { note: step.note } : {}) };
    const events = await runStep(qmp, step, rec, setup);
    if (step.observe !== false) {
      events.push(...(await qmp.pollEvents(SETTLE_MS)));
      const observed = await observe(qmp);
      rec['obs'] = observed.obs;
      events.push(...observed.events);
    }
    rec['events'] = events;
    out.push(rec as unknown as TraceStep);
  }
  return out;
}

/** The trace of `permgraph qmp --model MODEL` running the scenario on real files. */
export async function recordOnPermgraphQmp(scenario: Scenario, name: string, options: ServerRunOptions): Promise<Trace> {
  const who = identityOf(options.asUser ?? scenario.as_user ?? null);
  const workdir = mkdtempSync('/tmp/permgraph-qmp-');
  const setup = realSetup(who, workdir);
  let server: Server | null = null;
  try {
    chmodSync(workdir, 0o755);
    who.own(workdir);
    const setupRecords = substitute(scenario.setup ?? [], workdir).map((step) => setup.run(step));
    server = await startServer(who, join(workdir, 'qmp.sock'), options.model);
    const initial = (await observe(server.qmp)).obs;
    const steps = await runSteps(server.qmp, substitute(scenario.steps, workdir), setup);
    return {
      scenario: name,
      description: scenario.description ?? '',
      workdir,
      as_user: who.user,
      qemu: `permgraph qmp --model ${options.model}`,
      daemon: null,
      setup: setupRecords,
      initial,
      steps,
    };
  } finally {
    server?.qmp.close();
    if (server) await stopServer(server.child);
    setup.undo();
    rmSync(workdir, { recursive: true, force: true });
  }
}
