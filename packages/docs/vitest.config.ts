import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Launching Chromium and type-checking the samples take longer than vitest's 5 s default.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
