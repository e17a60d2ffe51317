import { defineConfig } from 'vitest/config';

/** Browser tests: the built extension (dist/dev/*) in real Chromium and Firefox, one file at a time. */
export default defineConfig({
  test: {
    include: ['tests/browser/**/*.test.ts'],
    environment: 'node',
    testTimeout: 90_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    reporters: ['verbose'],
  },
});
