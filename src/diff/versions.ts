/**
 * Which daemon goes with which QEMU model: where each version's qemu-storage-daemon (and the
 * qemu-img, qemu-io and qemu-nbd beside it) is found, the model a daemon's version picks, and the
 * name of a scenario's trace recorded on each version.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MODELS, type Model } from '../../machines/node.types.js';
import { modelForQemu, rulesOf, type QemuVersion } from '../models/rules.js';
import { startDaemon } from './daemon.js';
import { identity } from './identity.js';
import type { Trace } from './trace.js';

/** The models that follow a QEMU release, oldest first. */
export const QEMU_MODELS: readonly Model[] = MODELS.filter((model) => rulesOf(model).qemu !== null);

/** The model whose traces are NAME.trace.json; every other QEMU model's are NAME.MODEL.trace.json. */
export const FIRST_QEMU_MODEL: Model = 'qemu-7.2';

/**
 * Where each version's daemon is, unless PERMGRAPH_QSD_<MAJOR>_<MINOR> (PERMGRAPH_QSD_10_0) says:
 * 7.2 is Debian 12's own, on PATH; 10.0 is unpacked beside it under /opt/qemu-10.0
 * (docs/fidelity.md, "Two daemons side by side").
 */
const DAEMONS: Readonly<Partial<Record<Model, string>>> = {
  'qemu-7.2': 'qemu-storage-daemon',
  'qemu-10.0': '/opt/qemu-10.0/root/usr/bin/qemu-storage-daemon',
};

const versionText = ({ major, minor, micro }: QemuVersion): string => `${major}.${minor}.${micro}`;

export function daemonBinary(model: Model, env: NodeJS.ProcessEnv = process.env): string {
  const qemu = rulesOf(model).qemu;
  if (!qemu) throw new Error(`model ${model} follows no QEMU release`);
  return env[`PERMGRAPH_QSD_${qemu.major}_${qemu.minor}`] ?? DAEMONS[model] ?? 'qemu-storage-daemon';
}

/** A QEMU program of the same installation as the daemon `binary` (qemu-img, qemu-io, qemu-nbd). */
export const toolBeside = (binary: string | undefined, program: string): string =>
  binary && binary.includes('/') ? join(dirname(binary), program) : program;

export class VersionError extends Error {
  override readonly name = 'VersionError';
}

/** The model that follows this QEMU release; an error naming the models there are otherwise. */
export function modelOfVersion(version: QemuVersion): Model {
  const model = modelForQemu(version);
  if (model) return model;
  const known = QEMU_MODELS.map((m) => `${m} (${versionText(rulesOf(m).qemu!)})`).join(', ');
  throw new VersionError(`no model follows QEMU ${versionText(version)}; the QEMU models are ${known}`);
}

/** The version a trace was recorded on (query-version's `qemu`), if it says. */
export function traceVersion(trace: Pick<Trace, 'qemu'>): QemuVersion | null {
  const qemu = (trace.qemu as { qemu?: Partial<QemuVersion> } | null)?.qemu;
  return qemu && typeof qemu.major === 'number' && typeof qemu.minor === 'number' ? { major: qemu.major, minor: qemu.minor, micro: qemu.micro ?? 0 } : null;
}

/** The model a trace was recorded for: its daemon's version's, else QEMU 7.2's (the oracle's older traces). */
export function modelOfTrace(trace: Pick<Trace, 'qemu'>): Model {
  const version = traceVersion(trace);
  return version ? modelOfVersion(version) : FIRST_QEMU_MODEL;
}

/** The daemon's version as query-version gives it (from its QMP greeting), and the model it picks. */
export async function daemonVersion(binary: string): Promise<{ version: QemuVersion; model: Model }> {
  const workdir = mkdtempSync('/tmp/permgraph-version-');
  try {
    const daemon = await startDaemon({ workdir, identity: identity('self'), timeoutMs: 10_000, binary });
    await daemon.stop();
    const qemu = (daemon.greeting['version'] as { qemu?: QemuVersion } | undefined)?.qemu;
    if (!qemu) throw new VersionError(`${binary} gave no version in its QMP greeting`);
    return { version: qemu, model: modelOfVersion(qemu) };
  } finally {
    rmSync(workdir, { recursive: true, force: true });
  }
}

/** Where a scenario's trace recorded on a model's daemon lies: NAME.trace.json or NAME.MODEL.trace.json. */
export const tracePathFor = (file: string, model: Model = FIRST_QEMU_MODEL): string =>
  file.replace(/\.(json|ya?ml)$/i, '') + (model === FIRST_QEMU_MODEL ? '' : `.${model}`) + '.trace.json';

/** A trace file's scenario stem and model: NAME.trace.json (QEMU 7.2), NAME.qemu-10.0.trace.json; null if neither. */
export function traceFileOf(fileName: string): { stem: string; model: Model } | null {
  if (!fileName.endsWith('.trace.json')) return null;
  const stem = fileName.slice(0, -'.trace.json'.length);
  const model = QEMU_MODELS.find((m) => m !== FIRST_QEMU_MODEL && stem.endsWith(`.${m}`));
  return model ? { stem: stem.slice(0, -model.length - 1), model } : { stem, model: FIRST_QEMU_MODEL };
}
