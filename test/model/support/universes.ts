/**
 * Small universes for the property tests (and for `permgraph check --universe`):
 * - chain2: base <- top over auto-read-only file nodes; a guest disk and a CD-ROM (model dynamic;
 *   the QEMU models answer device_add CommandNotFound, as qemu-storage-daemon does), an export,
 *   reopen, an active commit, top deleted and re-added, both images turning read-only;
 * - chain3: the explorer's default universe (the libvirt chain) with a stream added;
 * - three-nodes: three images alike and apart, each exported, reopened and chmodded (symmetric
 *   under any permutation of n1, n2, n3; its commands on different nodes independent);
 * - two-chains: two chains alike and apart, each exported and actively committed, one clock;
 * - two-nodes-add-del: two images alike and apart, each with a node deleted and added again and a
 *   second node over an inline (generated) file node on the same image.
 */
import { fileURLToPath } from 'node:url';
import { loadUniverse, type Universe } from '../../../src/check/universe.js';

const fixture = (name: string): Universe => loadUniverse(fileURLToPath(new URL(`../fixtures/${name}.yaml`, import.meta.url)));

export const CHAIN2: Universe = fixture('chain2');
export const CHAIN3: Universe = fixture('chain3');
export const THREE_NODES: Universe = fixture('three-nodes');
export const TWO_CHAINS: Universe = fixture('two-chains');
export const TWO_NODES_ADD_DEL: Universe = fixture('two-nodes-add-del');
