import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
    // The user's config (recent projects) of every app a test starts goes to a scratch folder.
    env: { MICRA_CONFIG_DIR: join(tmpdir(), 'micra-test-config') },
  },
});
