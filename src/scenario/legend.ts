/**
 * What the trace's lines and notation mean: the legend `permgraph run --help` prints after its
 * options and docs/trace.md shows (a test keeps the two the same), and the node chart's states in
 * words, read from the machine's own descriptions.
 */
import { nodeMachine } from '../../machines/node.machine.js';
import { NODE_TAGS } from '../../machines/node.types.js';
import { PERM_MASK_LEGEND } from '../perms/perm.js';

const STATES = Object.entries(nodeMachine.root.states);

/** What a state of the node chart means, in words; '' for a state the machine does not describe. */
export function stateWords(state: string): string {
  return STATES.find(([name]) => name === state)?.[1].description ?? '';
}

/** `state idle (dynamic auto-read-only: no writer, so read-only)`. */
export function stateText(state: string): string {
  const words = stateWords(state);
  return `state ${state}${words ? ` (${words})` : ''}`;
}

/** The states a node rests in between commands (not closed, not routing, not mid-reopen). */
const RESTING = STATES.filter(
  ([name, s]) => name !== 'closed' && !s.always?.length && !s.tags.some((t) => t === NODE_TAGS.reopenReadWrite || t === NODE_TAGS.reopenReadOnly),
);

/** The perm mask and PERM/SHARED, for both `run` and `graph`. */
export const PERMS_LEGEND: readonly string[] = [
  'PERM, SHARED: what the parent takes of the child (perm), and what it lets other parents',
  "take (shared). Each is a mask of four places, as QEMU's scripts/render_block_graph.py",
  'writes it:',
  ...PERM_MASK_LEGEND.map((line) => `  ${line}`),
  'e.g. wr_s/_ru_: takes write, consistent read and resize; shares consistent read and',
  'write unchanged.',
];

const width = Math.max(...RESTING.map(([name]) => name.length));

/** The node chart's resting states, one a line (docs/node-machine.md draws the chart). */
export const STATES_LEGEND: readonly string[] = [
  "STATE: the state of the node's read-only chart (docs/node-machine.md):",
  ...RESTING.map(([name, s]) => `  ${name.padEnd(width)}  ${s.description ?? ''}`),
];

/** Every kind of line in `permgraph run`'s trace. */
export const TRACE_LEGEND: readonly string[] = [
  'The trace (docs/trace.md), step by step:',
  "  # NOTE                              the step's note, if it has one",
  '  [N] COMMAND ARGS                    step N, counted from 0',
  "      => ok | => VALUE                QEMU's reply",
  "      => error CLASS: DESC            QEMU's refusal",
  '      event NAME DATA                 a QMP event the step caused',
  '      + node NODE (DRIVER): ro BOOL[, MODE], state STATE (meaning)',
  "                                      a node opened, as it starts: QMP's ro, a file",
  "                                      node's open mode (O_RDONLY or O_RDWR), STATE",
  '      ro   NODE: BOOL -> BOOL, state STATE (meaning)',
  "                                      QMP's ro changed; the STATE the node is in now",
  "      open FILE (NODE): MODE -> MODE  a file node's descriptor reopened",
  '      edge PARENT -NAME-> CHILD: none -> PERM/SHARED',
  '                                      an edge attached',
  '      edge PARENT -NAME-> CHILD: PERM/SHARED -> PERM/SHARED',
  "                                      an edge's perm or shared changed",
  '      edge PARENT -NAME-> CHILD: PERM/SHARED -> gone',
  '                                      an edge detached',
  '      edge PARENT -NAME-> CHILD now -> OTHER (PERM/SHARED)',
  '                                      an edge moved to another child',
  '      - node NODE (DRIVER)            a node closed',
  "      ok: … | FAILED: …               whether the step's expect, wait-event or",
  '                                      wait-job held',
  '      INVARIANT …                     an invariant the step broke (--check-invariants)',
  '  N steps, N expectations failed      the summary; exit 1 when one failed',
  "NAME: the child name (file, backing, root, …). PARENT: a node, `export ID`, `device ID`,",
  "`job ID` (the job's own edge), `job ID backend` (the BlockBackend the job writes through)",
  'or `backend ID (PURPOSE)` (an internal one).',
];

/** What `--format json` gives instead. */
export const JSON_LEGEND: readonly string[] = [
  '--format json: the same as fields (docs/trace.md): each change has a `kind`; nodes by',
  'name; an edge as {parent: {kind, name}, child, name, role}; perm and shared as QMP',
  'lists them (["resize", "write", "consistent-read"]).',
];

/** The legend `permgraph run --help` prints. */
export const RUN_LEGEND = [...TRACE_LEGEND, '', ...PERMS_LEGEND, '', ...STATES_LEGEND, '', ...JSON_LEGEND].join('\n');
