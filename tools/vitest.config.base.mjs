// The test settings every tools package shares (each package's vitest.config.mjs re-exports or extends this).
// Tests here spawn tsc, turbo, git, Redocly or Ajv compilations: on a loaded CI machine one of them
// can take far longer than vitest's 5 s default, so limits are generous; no test asserts a duration.
// A package's test files share one worker and its module cache (isolate: false): a fresh worker per
// file cost a few tenths of a CPU-second each, more than most files' tests. What a test changes in the
// process (spies, fake timers, process.env) it puts back itself.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    isolate: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
