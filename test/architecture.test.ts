/**
 * The shape of the source tree, checked on every test run: the layers of .dependency-cruiser.cjs
 * (imports only point down; the pure layers load no xstate, rxjs or node:*), and the size rules
 * (no file over 300 lines, no function over 60). A planted wrong-way import shows the rules bite.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_FILE_LINES, MAX_FUNCTION_LINES, sizeViolations, sourceFiles } from './support/code-size.js';

const ROOT = resolve(import.meta.dirname, '..');
const DEPCRUISE = join(ROOT, 'node_modules', '.bin', 'depcruise');

interface Violation {
  readonly from: string;
  readonly to: string;
  readonly rule: { readonly name: string };
}

/** dependency-cruiser over `dirs` of the tree at `root`, with the project's rules: the violations. */
function cruise(root: string, dirs: readonly string[]): Violation[] {
  const out = execFileSync(DEPCRUISE, [...dirs, '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return (JSON.parse(out) as { summary: { violations: Violation[] } }).summary.violations;
}

describe('layers', () => {
  it('every import points down, and the pure layers load no xstate, rxjs or node:*', () => {
    const violations = cruise(ROOT, ['src', 'machines']).map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
    expect(violations).toEqual([]);
  }, 60_000);

  describe('a planted wrong-way import fails the rules', () => {
    const tree = mkdtempSync(join(tmpdir(), 'permgraph-layers-'));
    afterAll(() => rmSync(tree, { recursive: true, force: true }));
    const plant = (file: string, text: string): void => {
      mkdirSync(join(tree, file, '..'), { recursive: true });
      writeFileSync(join(tree, file), text);
    };
    copyFileSync(join(ROOT, '.dependency-cruiser.cjs'), join(tree, '.dependency-cruiser.cjs'));
    copyFileSync(join(ROOT, 'tsconfig.json'), join(tree, 'tsconfig.json'));
    symlinkSync(join(ROOT, 'node_modules'), join(tree, 'node_modules'), 'dir');
    plant('src/core/planted.ts', "import { createActor } from 'xstate';\nexport const planted = createActor;\n");
    plant('src/graph/planted.ts', "import { dispatch } from '../commands/dispatch.js';\nexport const planted = dispatch;\n");
    plant('src/commands/dispatch.ts', 'export const dispatch = 1;\n');
    plant('src/jobs/planted.ts', "import { readFileSync } from 'node:fs';\nexport const planted = readFileSync;\n");
    const found = cruise(tree, ['src']).map((v) => `${v.rule.name}: ${v.from}`);

    it("import 'xstate' in src/core", () => {
      expect(found).toContain('pure-layers-import-no-shell-library: src/core/planted.ts');
    });
    it('src/graph importing src/commands', () => {
      expect(found).toContain('graph-imports-only-down: src/graph/planted.ts');
    });
    it("import 'node:fs' in src/jobs", () => {
      expect(found).toContain('pure-layers-import-no-node-module: src/jobs/planted.ts');
    });
  });
});

describe('sizes', () => {
  it(`no file in src/, machines/ or web/ over ${MAX_FILE_LINES} lines, no function over ${MAX_FUNCTION_LINES}`, () => {
    const found = sizeViolations(ROOT, sourceFiles(ROOT, ['src', 'machines', 'web'])).map(
      (v) => `${v.file}:${v.line}: ${v.what} has ${v.lines} lines (at most ${v.limit})`,
    );
    expect(found).toEqual([]);
  });
});
