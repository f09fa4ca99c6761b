import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The user's config (recent projects) of every app a test starts goes to a scratch folder.
    env: { MICRA_CONFIG_DIR: join(tmpdir(), 'micra-test-config') },
  },
});
