import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests run the built CLI as child processes, several at once: on a loaded two-core machine (CI
    // runs every suite together) one run can take seconds. Nothing waits on a timer; this only bounds
    // a hung run.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
