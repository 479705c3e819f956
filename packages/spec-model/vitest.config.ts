import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The README test runs the example against the built package and compiles schemas: a loaded CI
    // machine can take far longer than vitest's 5 s default.
    testTimeout: 120_000,
    // One module cache for every file: each would otherwise load spec-model, Ajv and the spec again (the
    // files restore what they change, such as process.argv in readme.test.ts).
    isolate: false,
  },
});
