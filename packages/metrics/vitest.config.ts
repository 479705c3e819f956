import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The test files share one worker and its module cache: a fresh worker per file costs more CPU than
    // most files' tests. What a test changes in the process (spies, fake timers, process.env) it puts back.
    isolate: false,
    // Some cases run tsc, esbuild or a server in a child process: slow when CI runs every suite at once.
    testTimeout: 60_000,
    include: ['test/**/*.test.ts'],
  },
});
