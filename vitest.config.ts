import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    // Unit tests change process.env (INPUT_*, GITHUB_OUTPUT) the way the runner does, so each file runs in its own process.
    pool: 'forks',
    testTimeout: 30_000,
  },
});
