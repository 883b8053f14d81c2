import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    setupFiles: ['test/setup.ts'],
    // Unit tests change process.env (INPUT_*, GITHUB_OUTPUT) the way the runner does, so each file runs in its own process.
    pool: 'forks',
    testTimeout: 30_000,
    projects: [
      {
        extends: true,
        // Two files at a time, one per core. Set here, it also keeps the project in the first group:
        // left to the default (one worker on two cores), vitest runs it last, after e2e.
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/server/**/*.test.ts'],
          maxWorkers: 2,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // End-to-end files spend most of their time waiting on the local API's job timers, not on
          // the CPU, so several run at once even on two cores. They start after the unit project
          // (a project with its own maxWorkers needs its own group), so the two never compete.
          sequence: { groupOrder: 1 },
          maxWorkers: 4,
          // At most this many tests of one file side by side (describe.concurrent), each with its
          // own local API and action processes.
          maxConcurrency: 4,
          // Generous: on a machine loaded by other work a run that takes 3 s can take 30. A test
          // that waits on a condition has its own, shorter limit and says what never happened.
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
