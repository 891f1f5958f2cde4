/**
 * The normalized form of a trace, for comparing runs: what varies between identical runs is left
 * out, as the shared oracle's normalize() does: fd numbers and flags, the generated names of
 * implicit nodes (`#block123` -> `#implicit`), the graph ids of anonymous BlockBackends, timings,
 * events, and the bodies of query replies. The scratch directory is written `$W`.
 */
import { replaceInStrings } from '../scenario/virtual-setup.js';
import type { Json, JsonObject, Observation, Trace, TraceStep } from './trace.js';

export interface NormalizedTrace {
  readonly scenario: string;
  readonly initial: JsonObject | null;
  readonly steps: readonly JsonObject[];
  readonly aborted: string | null;
  readonly daemon_killed_by: string | null;
}

const IMPLICIT = /#block\d+/g;
const ANONYMOUS_BACKEND = /^block-backend#\d+$/;
const STEP_KEYS = ['execute', 'arguments', 'error', 'wait-event', 'wait-job', 'status', 'sleep', 'advance', 'observe', 'failed', 'timeout'] as const;
/** Replies of these commands are compared whole; those of others (queries) only as success. */
const COMPARED_RETURNS = /^(block|job|nbd|chardev|ringbuf|query-chardev|qom|query-named-block-nodes$|query-block$|query-blockstats$)/;
/** What a file takes on disk depends on the file system it lies on: its presence is compared, not its value. */
const FS_DEPENDENT = /"actual-size":\d+/g;

const fsIndependent = <T>(value: T): T => JSON.parse(JSON.stringify(value ?? null).replace(FS_DEPENDENT, '"actual-size":"(on disk)"')) as T;

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/** JSON with sorted keys: equal for equal values. */
export const canonical = (value: unknown): string => JSON.stringify(sortKeys(value)) ?? 'undefined';

const byCanonical = <T>(items: T[]): T[] => items.sort((a, b) => (canonical(a) < canonical(b) ? -1 : canonical(a) > canonical(b) ? 1 : 0));

const implicit = <T>(value: T): T => JSON.parse(JSON.stringify(value ?? null).replace(IMPLICIT, '#implicit')) as T;

export function normalizeObservation(obs: Observation | null | undefined): JsonObject | null {
  if (!obs) return null;
  const out: JsonObject = {};
  out['nodes'] = Array.isArray(obs.nodes) ? byCanonical(implicit(obs.nodes as unknown as JsonObject[])) : (obs.nodes as JsonObject);
  const graph = obs.graph as JsonObject;
  if (Array.isArray(graph['nodes']) && Array.isArray(graph['edges'])) {
    const label = (l: string): string => (ANONYMOUS_BACKEND.test(l) ? 'block-backend' : implicit(l));
    out['graph'] = {
      nodes: (graph['nodes'] as string[]).map(label).sort(),
      edges: byCanonical(
        (graph['edges'] as JsonObject[]).map((e) => ({
          parent: label(e['parent'] as string),
          child: label(e['child'] as string),
          name: e['name']!,
          perm: e['perm']!,
          'shared-perm': e['shared-perm']!,
        })),
      ),
    };
  } else out['graph'] = graph;
  if (obs.jobs !== undefined) out['jobs'] = implicit(obs.jobs as Json);
  if (obs.exports !== undefined) out['exports'] = implicit(obs.exports as Json);
  out['fds'] = Array.isArray(obs.fds)
    ? obs.fds.map((f) => `${f.path} ${f.mode} ${f.locks.join(',')}`).sort()
    : (obs.fds as unknown as JsonObject);
  return out;
}

/** Every SnapshotInfo's date and VM clock (the host's when it was taken) left out, wherever it is (a reply, an ImageInfo's `snapshots`). */
const CLOCK_KEYS = ['date-sec', 'date-nsec', 'vm-clock-sec', 'vm-clock-nsec'];
function withoutClocks(value: Json): Json {
  if (!value || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(withoutClocks);
  const isSnapshot = 'date-sec' in value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !(isSnapshot && CLOCK_KEYS.includes(k))).map(([k, v]) => [k, withoutClocks(v)])) as Json;
}

/** One step's normalized form (its paths as they are). */
export function normalizeStep(step: TraceStep): JsonObject {
  const rec: JsonObject = {};
  for (const key of STEP_KEYS) if (step[key] !== undefined) rec[key] = implicit(step[key] as Json);
  if (step.return !== undefined) rec['return'] = COMPARED_RETURNS.test(step.execute ?? '') ? fsIndependent(implicit(withoutClocks(step.return))) : 'ok';
  if (step.obs) rec['obs'] = normalizeObservation(step.obs);
  return rec;
}

/** The trace normalized, with its scratch directory written `$W`. */
export function normalizeTrace(trace: Trace): NormalizedTrace {
  const t = trace.workdir ? replaceInStrings(trace, trace.workdir, '$W', false) : trace;
  return {
    scenario: t.scenario,
    initial: normalizeObservation(t.initial),
    steps: t.steps.map(normalizeStep),
    aborted: t.aborted ?? null,
    daemon_killed_by: t.daemon_killed_by ?? null,
  };
}
