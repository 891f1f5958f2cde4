/**
 * docs/trace.md shows what `permgraph run` and `permgraph graph` print: each fenced block after a
 * `<!-- … -->` marker is checked against what the code gives now (the legends of `--help`, a
 * trace, the JSON of a step's changes). PERMGRAPH_UPDATE_DOCS=1 rewrites the blocks instead.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RUN_LEGEND } from '../src/scenario/legend.js';
import { GRAPH_LEGEND } from '../src/viz/graph-legend.js';
import { cli } from './support/cli.js';

const PAGE = 'docs/trace.md';
const UPDATE = process.env['PERMGRAPH_UPDATE_DOCS'] === '1';
const MARKED = /<!-- (legend|output|changes): ([^>]*?) -->\n```(\w+)\n([\s\S]*?)```/g;

/** What a marker's block must hold. */
async function generate(kind: string, what: string): Promise<string> {
  if (kind === 'legend') return `${what === 'run' ? RUN_LEGEND : GRAPH_LEGEND}\n`;
  const argv = what.split(' ');
  if (kind === 'output') {
    const { code, out, err } = await cli(...argv.slice(1));
    expect({ code, err }).toEqual({ code: 0, err: '' });
    return out;
  }
  // changes: FILE STEP (the changes of one step, as `jq '.steps[STEP].changes'` prints them)
  const { out } = await cli('run', argv[0]!, '--format', 'json');
  const trace = JSON.parse(out) as { steps: { changes: unknown }[] };
  return `${JSON.stringify(trace.steps[Number(argv[1])]!.changes, null, 2)}\n`;
}

describe(PAGE, () => {
  const page = readFileSync(PAGE, 'utf8');
  const blocks = [...page.matchAll(MARKED)];

  it('shows both legends, traces and a step as JSON', () => {
    expect(blocks.map((m) => m[1]).sort()).toEqual(['changes', 'legend', 'legend', 'output', 'output']);
  });

  it('is what the code prints now', async () => {
    let updated = page;
    for (const [whole, kind, what, lang, body] of blocks) {
      const now = await generate(kind!, what!);
      if (UPDATE) updated = updated.replace(whole, () => whole.replace(`${lang}\n${body}`, () => `${lang}\n${now}`));
      else expect(body, `${PAGE}: the block after <!-- ${kind}: ${what} --> is stale: PERMGRAPH_UPDATE_DOCS=1 npx vitest run test/docs-trace.test.ts`).toBe(now);
    }
    if (UPDATE) writeFileSync(PAGE, updated);
  });
});
