import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each test starts at least one Prism process: a second or two, more on a loaded machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
