import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Some tests start the CLI or a listener in a child process: slow when CI runs every suite at once.
    testTimeout: 60_000,
    hookTimeout: 90_000,
  },
});
