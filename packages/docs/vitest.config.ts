import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One Chromium and the built sites for the browser tests, launched and served once per run.
    globalSetup: ['test/browser-setup.ts'],
    // vitest runs one file at a time on a 2-core machine (one worker per core but one). The browser
    // tests' worker mostly waits on Chromium, so the other files run beside them.
    maxWorkers: 2,
    // Launching Chromium, walking the site in it and type-checking the samples take longer than vitest's
    // 5 s default, and far longer when other suites hold both cores. The limits only turn a hang into a
    // failure.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
