import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // snapshots are frozen under test, so a write to one fails loudly
    env: { PERMGRAPH_FREEZE_SNAPSHOTS: '1' },
    pool: 'threads',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
