/**
 * The npm package as a user gets it. A copy of the sources is packed with `npm pack` (which builds
 * it: prepack), in a scratch folder, and the tarball is looked at without installing it: no
 * install-time script (npm warns about those), the MIT licence, no source maps (the sources they
 * would name are not shipped), every entry point present, no sources or tests. Then the unpacked
 * package runs with the project's own dependencies linked beside it: the command line replays an
 * example from the package, both entries import, and the pure entry's declarations load no Node
 * types (a consumer without @types/node can use them).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missing } from './support/environment.js';

const ROOT = resolve(import.meta.dirname, '..');
const why = missing(['npm', 'tar'], 'Node.js with npm, and tar');
/** What the build reads, besides what package.json's "files" names. */
const BUILD_INPUTS = ['package.json', 'README.md', 'LICENSE', 'tsconfig.json', 'vite.config.ts', 'src', 'machines', 'web'];
/** The scripts npm runs when the package is installed (and warns about). */
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare', 'preprepare', 'postprepare', 'prepublish'];

interface PackageJson {
  readonly name: string;
  readonly version: string;
  readonly license: string;
  readonly types: string;
  readonly files: readonly string[];
  readonly bin: Readonly<Record<string, string>>;
  readonly exports: Readonly<Record<string, string | Readonly<Record<string, string>>>>;
  readonly scripts: Readonly<Record<string, string>>;
  readonly dependencies: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly peerDependenciesMeta?: Readonly<Record<string, { readonly optional?: boolean }>>;
}

/** What in a .d.ts needs @types/node. */
const NODE_TYPES = /from 'node:|import\('node:|reference types="node"|\bNodeJS\.|\bBuffer\b/;

/** The .d.ts files that a declaration file loads, by relative import, with their text. */
function typeClosure(entry: string): Map<string, string> {
  const seen = new Map<string, string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    const text = readFileSync(file, 'utf8');
    seen.set(file, text);
    for (const m of text.matchAll(/(?:from|import\()\s*'(\.[^']+)\.js'/g)) visit(resolve(dirname(file), `${m[1]!}.d.ts`));
  };
  visit(entry);
  return seen;
}

const readJson = (path: string): PackageJson => JSON.parse(readFileSync(path, 'utf8')) as PackageJson;

describe.skipIf(why)(`the npm package${why ? ` (skipped: ${why})` : ''}`, () => {
  const scratch = mkdtempSync(join(tmpdir(), 'permgraph-package-'));
  const source = join(scratch, 'source');
  const consumer = join(scratch, 'consumer');
  const unpacked = join(consumer, 'node_modules', 'permgraph');
  let files: string[] = [];
  let pkg: PackageJson;

  const node = (args: readonly string[]): string => execFileSync(process.execPath, args, { cwd: consumer, encoding: 'utf8' });

  beforeAll(() => {
    const own = readJson(join(ROOT, 'package.json'));
    mkdirSync(source);
    for (const entry of new Set([...BUILD_INPUTS, ...own.files])) {
      if (existsSync(join(ROOT, entry)) && !entry.startsWith('dist')) cpSync(join(ROOT, entry), join(source, entry), { recursive: true });
    }
    symlinkSync(join(ROOT, 'node_modules'), join(source, 'node_modules'), 'dir');
    execFileSync('npm', ['pack', '--pack-destination', scratch], { cwd: source, stdio: 'pipe', env: { ...process.env, npm_config_loglevel: 'error' } });
    const tarball = join(scratch, `${own.name}-${own.version}.tgz`);
    files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((f) => f.replace(/^package\//, ''));
    mkdirSync(unpacked, { recursive: true });
    execFileSync('tar', ['xzf', tarball, '-C', unpacked, '--strip-components=1']);
    pkg = readJson(join(unpacked, 'package.json'));
    for (const dep of Object.keys(pkg.dependencies)) {
      mkdirSync(join(consumer, 'node_modules', dep, '..'), { recursive: true });
      symlinkSync(join(ROOT, 'node_modules', dep), join(consumer, 'node_modules', dep), 'dir');
    }
  }, 240_000);

  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('runs no script when installed, and builds when packed', () => {
    expect(INSTALL_SCRIPTS.filter((s) => pkg.scripts[s] !== undefined)).toEqual([]);
    expect(pkg.scripts['prepack']).toBe('npm run build');
  });

  it('ships the MIT licence that package.json names', () => {
    expect(pkg.license).toBe('MIT');
    expect(files).toContain('LICENSE');
    const licence = readFileSync(join(unpacked, 'LICENSE'), 'utf8');
    expect(licence).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} permgraph contributors\n/);
  });

  it('ships every entry point, the viewer and the examples; no source maps, sources, tests or tarballs', () => {
    const targets = [...Object.values(pkg.bin), ...Object.values(pkg.exports).flatMap((e) => (typeof e === 'string' ? [e] : Object.values(e)))];
    expect(targets.map((t) => t.replace(/^\.\//, '')).filter((t) => !files.includes(t))).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['README.md', 'dist-web/index.html', 'examples/commit-auto-read-only.yaml']));
    expect(files.filter((f) => /\.map$|\.tgz$|^(src|test|web|machines|bench)\//.test(f) || (/\.ts$/.test(f) && !f.endsWith('.d.ts')))).toEqual([]);
  });

  it("needs @types/node only for 'permgraph/node', as an optional peer", () => {
    expect(pkg.peerDependencies?.['@types/node']).toBeDefined();
    expect(pkg.peerDependenciesMeta?.['@types/node']?.optional).toBe(true);
  });

  it("keeps npm pack's tarball out of git", () => {
    expect(readFileSync(join(ROOT, '.gitignore'), 'utf8').split('\n')).toContain('*.tgz');
  });

  it('replays an example from the package on its command line', () => {
    const example = join(unpacked, 'examples', 'commit-auto-read-only.yaml');
    const out = node([join(unpacked, pkg.bin['permgraph']!), 'run', example]);
    expect(out).toContain('[9] wait-job');
  });

  it("imports 'permgraph' and 'permgraph/node' as the README shows", () => {
    writeFileSync(
      join(consumer, 'pure.mjs'),
      "import { createPermgraph, createVirtualStorage } from 'permgraph';\n" +
        "const pg = createPermgraph({ model: 'dynamic', storage: createVirtualStorage({ '/images/disk.qcow2': { format: 'qcow2' } }) });\n" +
        'pg.events$.subscribe((event) => console.log(event.type));\n' +
        "pg.execute({ execute: 'blockdev-add', arguments: { driver: 'file', 'node-name': 'f', filename: '/images/disk.qcow2', 'auto-read-only': true } });\n",
    );
    expect(node(['pure.mjs'])).toContain('node.added');
    writeFileSync(
      join(consumer, 'node.mjs'),
      "import { createPermgraph, createRealStorage } from 'permgraph/node';\n" +
        "const pg = createPermgraph({ model: 'qemu-7.2', storage: createRealStorage() });\n" +
        "console.log(JSON.stringify(pg.execute({ execute: 'query-named-block-nodes' })));\n",
    );
    expect(node(['node.mjs'])).toBe('{"return":[]}\n');
  });

  it("types 'permgraph' without Node's types; 'permgraph/node' uses them", () => {
    const nodeTypes = (entry: string): string[] =>
      [...typeClosure(join(unpacked, entry))].filter(([, text]) => NODE_TYPES.test(text)).map(([file]) => relative(unpacked, file));
    expect(nodeTypes(pkg.types)).toEqual([]);
    expect(nodeTypes('dist/src/node.d.ts')).toContain('dist/src/server/qmp-server.d.ts');
  });
});
