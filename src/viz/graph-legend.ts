/**
 * What `permgraph graph`'s drawing shows: the legend its `--help` prints after the options and
 * docs/trace.md shows (a test keeps the two the same). The perm masks and chart states are the
 * trace's own (src/scenario/legend.ts): one notation for both commands.
 */
import { PERMS_LEGEND, STATES_LEGEND } from '../scenario/legend.js';

export const GRAPH_LEGEND = [
  "The drawing (docs/viewer.md), after QEMU's scripts/render_block_graph.py:",
  "  ellipse  a block node: NODE [DRIVER], a file node's image, then ro or rw (QMP's ro),",
  "           STATE and a file node's open mode: `ro · idle · O_RDONLY`; dashed: a node",
  '           named by QEMU (#block…); grey: read-only, yellow: read-write',
  '  box      a user (an export, a device, the BlockBackend of a job) or a block job',
  '  cylinder an NBD server an nbd node is connected to (dashed line, with the export name):',
  '           grey if it refused writes when last asked, yellow if it let the node write',
  '  bitmap   a line of a node\'s label per dirty bitmap, newest first: `bitmap NAME:',
  '           enabled|disabled, persistent, read-only, busy` (read-only: a persistent',
  '           bitmap of a read-only image; busy: a backup job or an NBD export uses it);',
  '           `image stores: NAME (auto), …` under a file node: the persistent bitmaps',
  '           its qcow2 image holds (auto: recording once loaded)',
  '  note     a chardev, in the cluster `chardevs`: ID, backend and QEMU\'s filename for',
  '           it; a QMP monitor\'s with a dotted line from the monitor',
  '  arrow    an edge from parent to child, labelled with three lines: the child name',
  '           (file, backing, root, …), PERM and SHARED',
  '  blue     what the step changed; red: what refused the command',
  '',
  ...PERMS_LEGEND,
  '',
  ...STATES_LEGEND,
].join('\n');
