import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Some tests start the CLI, a listener in a child process or Chromium: slow when CI runs every suite at once.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
