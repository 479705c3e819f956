import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          // The contract suite: against the mock by default, or CONNECT_BASE_URL (see README).
          name: 'contract',
          include: ['test/contract/**/*.test.ts'],
          globalSetup: ['test/contract/target.setup.ts'],
          // One request after another: the flow against a server depends on its order.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          // The suite's own tests: its checks, generators and spec-diff-free logic, and the proof that it can fail.
          name: 'self',
          include: ['test/unit/**/*.test.ts', 'test/self/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
