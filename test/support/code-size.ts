/**
 * The size rules of the source tree: no file over 300 lines, no function over 60. Read with the
 * TypeScript compiler's own parser, so a function is whatever TypeScript calls one (declarations,
 * methods, accessors, arrows and function expressions), measured from its first line to its last.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

export const MAX_FILE_LINES = 300;
export const MAX_FUNCTION_LINES = 60;

export interface SizeViolation {
  readonly file: string;
  readonly line: number;
  readonly what: string;
  readonly lines: number;
  readonly limit: number;
}

export function sourceFiles(root: string, dirs: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(path);
    }
  };
  for (const dir of dirs) walk(join(root, dir));
  return out.sort();
}

function functionName(node: ts.Node, source: ts.SourceFile): string {
  const named = node as ts.Node & { name?: ts.Node };
  if (named.name) return named.name.getText(source);
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent)) return parent.name.getText(source);
  if (parent && ts.isPropertyAssignment(parent)) return parent.name.getText(source);
  return '(anonymous)';
}

export function sizeViolations(root: string, files: readonly string[]): SizeViolation[] {
  const out: SizeViolation[] = [];
  for (const path of files) {
    const text = readFileSync(path, 'utf8');
    const file = relative(root, path);
    const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
    const lineOf = (pos: number): number => source.getLineAndCharacterOfPosition(pos).line + 1;
    const total = lineOf(text.length) - (text.endsWith('\n') ? 1 : 0);
    if (total > MAX_FILE_LINES) out.push({ file, line: 1, what: 'file', lines: total, limit: MAX_FILE_LINES });
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) && (node as ts.FunctionLikeDeclaration).body) {
        const lines = lineOf(node.getEnd()) - lineOf(node.getStart(source)) + 1;
        if (lines > MAX_FUNCTION_LINES) {
          out.push({ file, line: lineOf(node.getStart(source)), what: `function ${functionName(node, source)}`, lines, limit: MAX_FUNCTION_LINES });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return out;
}
