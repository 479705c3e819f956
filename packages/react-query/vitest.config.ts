import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Some cases run tsc, esbuild or a server in a child process, and waitFor waits up to 30 s for the
    // mock: slow when other suites hold both cores. The limits only turn a hang into a failure.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    include: ['test/**/*.test.{ts,tsx}'],
    environment: 'happy-dom',
    globalSetup: ['test/global-setup.ts'],
  },
});
