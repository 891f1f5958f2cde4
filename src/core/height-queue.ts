/**
 * Nodes by height, highest first; first come, first served within a height. A binary heap of the
 * heights in use, so a pop costs log(levels in use), not the height of the graph.
 */
import type { NodeName } from '../graph/types.js';

export class HeightQueue {
  private readonly levels = new Map<number, NodeName[]>();
  private readonly heights: number[] = [];
  private readonly queued = new Set<NodeName>();

  push(name: NodeName, height: number): void {
    if (this.queued.has(name)) return;
    this.queued.add(name);
    const level = this.levels.get(height);
    if (level) level.push(name);
    else {
      this.levels.set(height, [name]);
      this.pushHeight(height);
    }
  }

  pop(): NodeName | undefined {
    const height = this.heights[0];
    if (height === undefined) return undefined;
    const level = this.levels.get(height)!;
    const name = level.shift()!;
    if (level.length === 0) {
      this.levels.delete(height);
      this.popHeight();
    }
    this.queued.delete(name);
    return name;
  }

  private pushHeight(height: number): void {
    const heap = this.heights;
    let at = heap.push(height) - 1;
    while (at > 0) {
      const up = (at - 1) >> 1;
      if (heap[up]! >= height) break;
      heap[at] = heap[up]!;
      at = up;
    }
    heap[at] = height;
  }

  private popHeight(): void {
    const heap = this.heights;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= heap.length) break;
      if (child + 1 < heap.length && heap[child + 1]! > heap[child]!) child++;
      if (heap[child]! <= last) break;
      heap[at] = heap[child]!;
      at = child;
    }
    heap[at] = last;
  }
}
