/**
 * docs/qmp.md's table "blockdev-add of each driver with minimal options": each row's answer is the
 * one the named scenario recorded on both daemons (the first blockdev-add of that driver with
 * those options), so the table stays true to the recordings.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const CORPUS = new URL('./fixtures/corpus/', import.meta.url);

interface Row {
  readonly driver: string;
  readonly options: Record<string, unknown>;
  readonly answer: string;
  readonly scenario: string;
}

interface TraceStep {
  readonly execute: string;
  readonly arguments?: Record<string, unknown>;
  readonly return?: unknown;
  readonly error?: { readonly desc: string };
  readonly obs?: { readonly nodes: readonly { readonly 'node-name': string; readonly file: string }[] };
}

function tableRows(): Row[] {
  const doc = readFileSync(new URL('../docs/qmp.md', import.meta.url), 'utf8');
  const start = doc.indexOf('### blockdev-add of each driver with minimal options');
  const lines = doc.slice(start).split('\n');
  const first = lines.findIndex((line) => line.startsWith('|---'));
  const rows: Row[] = [];
  for (const line of lines.slice(first + 1)) {
    if (!line.startsWith('| `')) break;
    const cells = line.split(' | ').map((cell) => cell.replace(/^\| /, '').replace(/ \|$/, ''));
    const unquote = (cell: string): string => cell.replace(/^`|`$/g, '');
    rows.push({ driver: unquote(cells[0]!), options: JSON.parse(unquote(cells[1]!)) as Record<string, unknown>, answer: cells[2]!, scenario: unquote(cells[3]!) });
  }
  return rows;
}

/** The daemon's answer in the table's words: `opens`, with the node's filename where the row names one, or the error text quoted. */
function answerOf(step: TraceStep, workdir: string, row: Row): string {
  if (step.error) return `\`${step.error.desc.split(workdir).join('$W')}\``;
  if (!/^opens \(`/.test(row.answer)) return 'opens';
  const node = step.obs?.nodes.find((n) => n['node-name'] === step.arguments?.['node-name']);
  return `opens (\`${(node?.file ?? '').split(workdir).join('$W')}\`)`;
}

const rows = tableRows();

/** A row's answer for one daemon: a cell may give each (`7.2: …; 10.0: …`); `\n` stands for a newline. */
function answerFor(row: Row, kind: string): string {
  const both = /^7\.2: (.*); 10\.0: (.*)$/.exec(row.answer);
  const answer = both ? (kind === 'trace' ? both[1]! : both[2]!) : row.answer;
  return answer.replace(/\\n/g, '\n');
}

describe("docs/qmp.md's blockdev-add table", () => {
  it('has a row for each filter and special driver', () => {
    expect(rows.length).toBeGreaterThanOrEqual(12);
  });

  it.each(rows.flatMap((row) => ['trace', 'qemu-10.0.trace'].map((kind) => [`${row.driver} ${JSON.stringify(row.options)} (${kind})`, row, kind] as const)))(
    '%s',
    (_name, row, kind) => {
      const trace = JSON.parse(readFileSync(new URL(`${row.scenario}.${kind}.json`, CORPUS), 'utf8')) as { workdir: string; steps: TraceStep[] };
      const wanted = JSON.stringify({ driver: row.driver, ...row.options }).split('$W').join(trace.workdir);
      const step = trace.steps.find((s) => {
        if (s.execute !== 'blockdev-add' || !s.arguments) return false;
        const { ['node-name']: _name, ...rest } = s.arguments;
        return JSON.stringify(rest) === wanted;
      });
      expect(step, `no such blockdev-add in ${row.scenario}`).toBeDefined();
      const answer = answerFor(row, kind);
      expect(/^opens(?! \(`)/.test(answer) ? 'opens' : answer).toBe(answerOf(step!, trace.workdir, row));
    },
  );
});
