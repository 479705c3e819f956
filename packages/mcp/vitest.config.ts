import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The files share one module cache: the sandbox, the SDK and the spec's model load once for the run
    // instead of once per file. Each file starts its own sandbox and changes nothing else in the process.
    isolate: false,
    // Tests drive the built server as child processes: on a loaded two-core machine (CI runs every
    // suite together) starting one can take seconds. Nothing waits on a timer; this only bounds a hang.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
