import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/** Pages the browser tests load from the test server (dist/test-pages, served at /test-pages/). */
export default defineConfig({
  root: resolve(import.meta.dirname, 'tests/pages'),
  base: './',
  publicDir: false,
  build: {
    outDir: resolve(import.meta.dirname, 'dist/test-pages'),
    emptyOutDir: true,
    rolldownOptions: {
      input: {
        fer: resolve(import.meta.dirname, 'tests/pages/fer.html'),
        engine: resolve(import.meta.dirname, 'tests/pages/engine.html'),
        calibrate: resolve(import.meta.dirname, 'tests/pages/calibrate.html'),
      },
    },
  },
});
