import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Both files mostly wait for Prism and the CLI in child processes, not in the worker: run them side
    // by side, even on a 2-core machine, where vitest's default would run one worker.
    maxWorkers: 2,
    // Each test or hook starts at least one Prism process: a second or two on an idle machine, but over
    // 30 s when other suites hold both cores. The limits only turn a hang into a failure.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
