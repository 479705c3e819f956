import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The files share one module cache: the sandbox and the spec's validators are loaded once for the run
    // instead of once per file. Each file starts its own sandbox and changes nothing else in the process.
    isolate: false,
    // Tests run the built CLI as child processes, several at once: on a loaded two-core machine (CI
    // runs every suite together) one run can take seconds. Nothing waits on a timer; this only bounds
    // a hung run.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
