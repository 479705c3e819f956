import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The README test runs the example against the built package and compiles schemas: a loaded CI
    // machine can take far longer than vitest's 5 s default.
    testTimeout: 120_000,
  },
});
