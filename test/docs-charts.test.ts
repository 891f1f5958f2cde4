import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chartMarkdown, chartSvg } from '../src/viz/chart-docs.js';

/** PERMGRAPH_UPDATE_DOCS=1 rewrites the pages instead of comparing. */
const UPDATE = process.env['PERMGRAPH_UPDATE_DOCS'] === '1';

describe.each(['node', 'job'] as const)('docs/%s-machine', (machine) => {
  it.each([
    ['md', () => Promise.resolve(chartMarkdown(machine))],
    ['svg', () => chartSvg(machine)],
  ] as const)(`.%s is what the ${machine} machine draws now`, async (ext, generate) => {
    const path = `docs/${machine}-machine.${ext}`;
    const now = await generate();
    if (UPDATE) writeFileSync(path, now);
    expect(readFileSync(path, 'utf8'), `${path} is stale: PERMGRAPH_UPDATE_DOCS=1 npx vitest run test/docs-charts.test.ts`).toBe(now);
  });
});
