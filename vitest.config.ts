import { defineConfig } from 'vitest/config';

export default defineConfig({
  define: { __MOODLENS_TARGET__: JSON.stringify('chrome'), __MOODLENS_DEV__: 'false' },
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'tests/unit/**/*.test.{ts,tsx}'],
    environment: 'node',
  },
});
