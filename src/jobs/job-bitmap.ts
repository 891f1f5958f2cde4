/** What a job's anonymous dirty bitmap shows (job-bitmaps.ts gathers them). */
import type { NodeName } from '../graph/types.js';

/** One anonymous bitmap as BlockDirtyInfo shows it. */
export interface JobBitmap {
  readonly recording: boolean;
  readonly granularity: number;
  readonly count: number;
}

/** One bitmap a job made, with the node it lies on. */
export interface PlacedJobBitmap {
  readonly node: NodeName;
  readonly bitmap: JobBitmap;
}
