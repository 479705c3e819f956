// The test settings every tools package shares (each package's vitest.config.mjs re-exports this).
// Tests here spawn tsc, turbo, git, Redocly or Ajv compilations: on a loaded CI machine one of them
// can take far longer than vitest's 5 s default, so limits are generous; no test asserts a duration.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
