/**
 * `permgraph import`: a QMP transcript as a scenario file that `permgraph run` replays. The kind
 * of input is told from its lines: libvirt's monitor probes (`QEMU_MONITOR_SEND_MSG: mon=…`), a
 * qmp-shell prompt or banner, or else JSON objects (a raw transcript). Pure: the caller reads the
 * file and writes the result.
 */
import { ScenarioError } from '../data-error.js';
import { toJson, toYaml, type ImportedScenario } from './emit.js';
import { inferFiles } from './files.js';
import { commonDirectory, rewriteDirectory, setupSteps } from './setup.js';
import { readLibvirtLog } from './libvirt.js';
import { readQmpShellSession } from './qmp-shell.js';
import { readQmpTranscript } from './raw.js';
import { buildSteps, type BuiltSteps } from './steps.js';
import { lineError, snippet, type InputKind, type Transcript } from './transcript.js';
import type { Model } from '../../../machines/node.types.js';
import { modelForQemu, rulesOf } from '../../models/rules.js';

export type { InputKind } from './transcript.js';
export type ImportFormat = 'yaml' | 'json';

export interface Imported {
  readonly kind: InputKind;
  readonly scenario: ImportedScenario;
  /** The scenario file's text. */
  readonly text: string;
  /** One line: what the input was read as and what came of it. */
  readonly summary: string;
  /** What was left out or assumed, a line each. */
  readonly notes: readonly string[];
}

const LIBVIRT = /QEMU_MONITOR_(SEND_MSG|IO_WRITE|RECV_REPLY|RECV_EVENT|IO_PROCESS): mon=/;
const QMP_SHELL = /^(\(QEMU\)|TRANS>)( |$)|^Welcome to the (QMP low-level|HMP) shell!$/;
const JSON_START = /^\s*(->|<-)?\s*[{[]/;

/** Which kind of input the text is. */
export function detectKind(text: string, file: string): InputKind {
  const lines = text.split('\n');
  if (lines.some((line) => LIBVIRT.test(line))) return 'libvirt';
  if (lines.some((line) => QMP_SHELL.test(line.replace(/\r$/, '')))) return 'qmp-shell';
  const first = lines.findIndex((line) => line.trim() !== '');
  if (first < 0) throw new ScenarioError(`${file}: empty: no QMP transcript in it`);
  if (JSON_START.test(lines[first]!)) return 'qmp';
  throw lineError(
    file,
    first + 1,
    `not a QMP transcript (JSON lines), a qmp-shell session or a libvirt monitor log: '${snippet(lines[first]!)}'`,
  );
}

const READERS: Readonly<Record<InputKind, (text: string, file: string) => Transcript>> = {
  qmp: readQmpTranscript,
  'qmp-shell': readQmpShellSession,
  libvirt: readLibvirtLog,
};

const baseName = (file: string): string => (file.split('/').pop() ?? file).replace(/\.[^.]*$/, '') || 'imported';

/** The QEMU model of the transcript's version (its greeting), else QEMU 7.2's, the default where nothing says. */
function modelOf(transcript: Transcript): Model {
  const [major, minor, micro] = (transcript.version ?? '').split('.').map(Number);
  const known = major !== undefined && minor !== undefined ? modelForQemu({ major, minor, micro: micro ?? 0 }) : null;
  return known ?? 'qemu-7.2';
}

function headerOf(file: string, transcript: Transcript, built: BuiltSteps, workdir: string | undefined): string[] {
  const { commands, capabilities, replies, events, waits } = built.counts;
  const dropped = capabilities ? ` (qmp_capabilities left out)` : '';
  const model = modelOf(transcript);
  const followed = rulesOf(model).qemu!;
  const release = `${followed.major}.${followed.minor}`;
  const version = transcript.version && !transcript.version.startsWith(`${release}.`) ? `; recorded on QEMU ${transcript.version}` : '';
  return [
    `permgraph import ${file}`,
    `read as ${transcript.how}`,
    `${commands} commands${dropped}, ${replies} replies kept as expect, ${events} events as ${waits} wait-job/wait-event steps`,
    `replayed as QEMU ${release} does it (model ${model})${version}; --model dynamic runs the dynamic model against the same replies`,
    ...(workdir ? [`$W is ${workdir}, the images' directory (the scenario's scratch directory when it runs)`] : []),
  ];
}

export function importTranscript(text: string, file: string, format: ImportFormat = 'yaml'): Imported {
  const kind = detectKind(text, file);
  const transcript = READERS[kind](text, file);
  const built = buildSteps(transcript);
  if (built.counts.commands === 0) throw new ScenarioError(`${file}: nothing to import: no QMP command in it (qmp_capabilities aside)`);
  const { files, comments } = inferFiles(built.exchanges);
  const workdir = commonDirectory(Object.keys(files));
  const made = setupSteps(files, comments, workdir);
  const at = <T>(value: T): T => (workdir ? rewriteDirectory(value, workdir) : value);
  const scenario: ImportedScenario = {
    name: baseName(file),
    description: `Imported by permgraph import from ${file}: ${transcript.how}.`,
    model: modelOf(transcript),
    ...(made.setup.length ? { setup: at(made.setup) } : {}),
    steps: at(built.steps),
  };
  const header = headerOf(file, transcript, built, workdir);
  const fileNotes = Object.entries(comments).flatMap(([path, lines]) => lines.map((line) => `${path}: ${line}`));
  const notes = [...transcript.notes, ...built.notes, ...fileNotes];
  return {
    kind,
    scenario,
    text: format === 'json' ? toJson(scenario) : toYaml(scenario, [...header, ...transcript.notes, ...built.notes], made.comments),
    summary: `${file}: read as ${transcript.how}: ${header[2]}`,
    notes,
  };
}
