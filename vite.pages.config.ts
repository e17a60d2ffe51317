import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/**
 * Pages served by scripts/serve.ts from dist/pages (at /pages/): the analyser's engine page
 * (src/analyzer), the benchmark page (scripts/bench) and the browser tests' pages (tests/pages), at
 * their repository paths.
 */
const page = (path: string) => resolve(import.meta.dirname, path);

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  publicDir: false,
  build: {
    outDir: page('dist/pages'),
    emptyOutDir: true,
    // unminified: tfjs-backend-wasm starts its threads from the source text of its bundled factory
    // (Function.toString), which minified names break ("e is not defined" in each thread's worker);
    // the benchmark page's threads-on rows need it, and these local pages gain nothing from minifying
    minify: false,
    rolldownOptions: {
      input: {
        analyzer: page('src/analyzer/analyzer.html'),
        bench: page('scripts/bench/bench.html'),
        fer: page('tests/pages/fer.html'),
        engine: page('tests/pages/engine.html'),
        calibrate: page('tests/pages/calibrate.html'),
        'extension-page-engine': page('tests/pages/extension-page-engine.html'),
      },
    },
  },
});
