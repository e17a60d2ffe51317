import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/** The demo meeting page, served from localhost by scripts/serve.ts. */
export default defineConfig({
  root: resolve(import.meta.dirname, 'demo'),
  base: './',
  publicDir: false,
  build: { outDir: resolve(import.meta.dirname, 'dist/demo'), emptyOutDir: true, assetsInlineLimit: 0 },
});
