import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each test starts at least one Prism process, which takes a second or two on a small machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
