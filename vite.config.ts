import { defineConfig } from 'vite';

/** The viewer (web/), built into dist-web/, which the package ships and `permgraph view` serves. */
export default defineConfig({
  root: 'web',
  base: './',
  logLevel: 'warn',
  build: {
    outDir: '../dist-web',
    emptyOutDir: true,
    target: 'es2022',
    // @viz-js/viz embeds Graphviz as wasm; the page loads it lazily, in its own chunk.
    chunkSizeWarningLimit: 2000,
  },
});
