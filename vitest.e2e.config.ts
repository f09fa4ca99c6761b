import { defineConfig } from 'vitest/config';

// End-to-end tests: the built app in serve mode, driven in Debian's Chromium. One file at a
// time: each starts its own server and browser, and the machine has two cores.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
