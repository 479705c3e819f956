import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Compiling the document's schemas and checking every payload entry can take far longer than
    // vitest's 5 s default when CI runs every suite at once.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
