import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The files share one module cache: the spec, its validators and the sandbox's sources are loaded
    // once for the run instead of once per file (about 1.5 s each). No test file relies on a fresh
    // module: hooks that every file needs are registered per test (test/helpers.ts), and what a test
    // changes in the process (console.log, process.env) it puts back.
    isolate: false,
    // Some tests start the CLI, a listener in a child process or Chromium: slow when CI runs every suite at once.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
