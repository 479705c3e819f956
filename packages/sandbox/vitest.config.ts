import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The files of a worker share one module cache: the spec, its validators and the sandbox's sources
    // are loaded once per worker instead of once per file. No test file relies on a fresh module: hooks
    // that every file needs are registered per test (test/helpers.ts), and what a test changes in the
    // process (console.log, process.env) it puts back.
    isolate: false,
    // Two workers, even on two cores (where the default is one): many tests wait for a child process (the
    // CLI, a listener, Chromium), and the other worker's file runs meanwhile. Alone, 20.5 s -> 13.9 s,
    // for the same CPU time.
    maxWorkers: 2,
    // Some tests start the CLI, a listener in a child process or Chromium: slow when CI runs every suite at once.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
