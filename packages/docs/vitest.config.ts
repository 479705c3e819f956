import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Launching Chromium, walking the site in it and type-checking the samples take longer than vitest's
    // 5 s default, and far longer when other suites hold both cores. The limits only turn a hang into a
    // failure.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
