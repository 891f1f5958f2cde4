/**
 * Who counts as a writer (spec §4.3 step 3 and §5.2): the generic read-only check refuses write
 * and write unchanged; file-posix's descriptor also counts resize (raw_reconfigure_getfd()).
 */
import { describe, expect, it } from 'vitest';
import { FD_WRITE_PERMS, hasWriters, WRITE_PERMS } from '../../src/perms/writers.js';

const CR = 1, W = 2, WU = 4, RS = 8;

describe('writer perms', () => {
  it('are W|WU for a node, W|WU|RS for a descriptor', () => {
    expect(WRITE_PERMS).toBe(W | WU);
    expect(FD_WRITE_PERMS).toBe(W | WU | RS);
  });

  it('decide hasWriters for every one of the 16 sets', () => {
    for (let set = 0; set < 16; set++) {
      expect(hasWriters(false, set), `node, set ${set}`).toBe(Boolean(set & W) || Boolean(set & WU));
      expect(hasWriters(true, set), `fd, set ${set}`).toBe(Boolean(set & W) || Boolean(set & WU) || Boolean(set & RS));
    }
  });

  it('resize alone is a writer only for a descriptor; consistent read never is', () => {
    expect(hasWriters(true, RS)).toBe(true);
    expect(hasWriters(false, RS)).toBe(false);
    expect(hasWriters(true, CR)).toBe(false);
    expect(hasWriters(false, CR)).toBe(false);
    expect(hasWriters(true, 0)).toBe(false);
  });
});
