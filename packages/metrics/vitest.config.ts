import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Some cases run tsc, esbuild or a server in a child process: slow when CI runs every suite at once.
    testTimeout: 60_000,
    include: ['test/**/*.test.ts'],
  },
});
