import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Real Redis servers and worker processes: the limits only turn a hang into a failure on a busy machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
  },
});
