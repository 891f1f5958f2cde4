/**
 * The layers of permgraph, lowest first, and the rules that keep imports pointing down.
 * `npm test` runs these rules (test/architecture.test.ts); docs/architecture.md draws them.
 *
 * A module may import its own layer and any layer listed before it, never one after it. The
 * pure layers (everything up to and including `commands`) import no xstate, no rxjs and no
 * `node:*` module: the machines reach the core only through the injected stepper, storage
 * only through the `Storage` interface.
 */
const LAYERS = [
  { name: 'base', path: '^src/(util|perms|messages)/' },
  { name: 'qapi', path: '^src/qapi/' },
  { name: 'charts', path: '^machines/[^/]+\\.(chart|types)\\.ts$' },
  { name: 'models', path: '^src/models/' },
  { name: 'graph', path: '^src/graph/' },
  { name: 'drivers', path: '^src/drivers/' },
  { name: 'storage', path: '^src/storage/' },
  { name: 'core', path: '^src/core/' },
  { name: 'jobs', path: '^src/jobs/' },
  { name: 'commands', path: '^src/commands/' },
  { name: 'machines', path: '^machines/[^/]+\\.machine\\.ts$' },
  { name: 'invariants', path: '^src/invariants/' },
  { name: 'runtime', path: '^src/(runtime|index\\.ts$)' },
  { name: 'host', path: '^src/host/' },
  { name: 'engines', path: '^src/(check|scenario|viz)/' },
  { name: 'shells', path: '^src/(server|diff|fuzz|view|node\\.ts$)' },
  { name: 'cli', path: '^src/cli/' },
];

const { builtinModules } = require('node:module');

/** Every node:* module, as dependency-cruiser names a resolved one. */
const NODE_MODULES = `^(node:)?(${builtinModules.map((name) => name.replace(/[/]/g, '\\/')).join('|')})$`;

const PURE = LAYERS.slice(0, LAYERS.findIndex((layer) => layer.name === 'commands') + 1);

const any = (layers) => layers.map((layer) => `(${layer.path})`).join('|');

const layerRules = LAYERS.slice(0, -1).map((layer, index) => ({
  name: `${layer.name}-imports-only-down`,
  comment: `${layer.name} may import only itself and the layers below it`,
  severity: 'error',
  from: { path: layer.path },
  to: { path: any(LAYERS.slice(index + 1)) },
}));

module.exports = {
  // read by test/architecture.test.ts and docs

  forbidden: [
    ...layerRules,
    {
      name: 'pure-layers-import-no-shell-library',
      comment: 'the pure layers run anywhere: no xstate, no rxjs, no node:* module',
      severity: 'error',
      from: { path: any(PURE) },
      to: { path: '(^|/)node_modules/(xstate|rxjs|@xstate)/' },
    },
    {
      name: 'pure-layers-import-no-node-module',
      comment: 'the pure layers run anywhere: no node:* module',
      severity: 'error',
      from: { path: any(PURE) },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'machines-stay-drawable',
      comment: 'a machine definition imports xstate and pure types, nothing with effects',
      severity: 'error',
      from: { path: '^machines/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'every-module-in-a-layer',
      comment: 'a module under src/ or machines/ that no layer names escapes every rule: name its layer above',
      severity: 'error',
      from: { path: '^(src|machines)/', pathNot: any(LAYERS) },
      to: {},
    },
    {
      name: 'charts-are-data',
      comment: 'a chart or its types (machines/*.chart.ts, *.types.ts) is plain data: no xstate, no library',
      severity: 'error',
      from: { path: '^machines/[^/]+\\.(chart|types)\\.ts$' },
      to: { path: '(^|/)node_modules/' },
    },
    {
      name: 'library-entry-loads-no-node-module',
      comment: "the 'permgraph' entry point loads in a browser: nothing it reaches imports node:*",
      severity: 'error',
      from: { path: '^src/index\\.ts$' },
      to: { path: NODE_MODULES, reachable: true },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-cycles',
      comment: 'a cycle makes layers meaningless',
      severity: 'error',
      from: { path: '^(src|machines)/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.d.ts'],
    },
  },

};
