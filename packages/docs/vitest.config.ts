import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One Chromium and the built sites for the browser tests, launched and served once per run.
    globalSetup: ['test/browser-setup.ts'],
    // vitest runs one file at a time on a 2-core machine (one worker per core but one). The browser
    // tests' worker mostly waits on Chromium, so the other files run beside them.
    maxWorkers: 2,
    // The files of a worker share its module cache (playwright-core, the published document) instead of
    // a fresh worker per file. No file relies on fresh modules: each connects to Chromium and closes its
    // own connection, and what a test changes in the process it puts back.
    isolate: false,
    // Launching Chromium, walking the site in it and type-checking the samples take longer than vitest's
    // 5 s default, and far longer when other suites hold both cores. The limits only turn a hang into a
    // failure.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
