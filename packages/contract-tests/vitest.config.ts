import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Loaded CI machines run other suites on both cores: the limits only turn a hang into a failure.
const SERVER_HOOK_TIMEOUT = 180_000;
const CONTRACT_TEST_TIMEOUT = 120_000;

/** The contract suite, against the target its globalSetup starts or names. */
const contractProject = (name: string, globalSetup: string) => ({
  extends: true as const,
  test: {
    name,
    include: ['test/contract/**/*.test.ts'],
    globalSetup: [globalSetup],
    // One request after another: the flow against a server depends on its order, and the two files
    // (the operations' cases, then the scenarios, or the other way round) share one server.
    fileParallelism: false,
    // After the self project: a group of its own, since its one worker differs from the self project's
    // (vitest runs projects with different maxWorkers only in different groups).
    sequence: { groupOrder: 1 },
    testTimeout: CONTRACT_TEST_TIMEOUT,
    hookTimeout: SERVER_HOOK_TIMEOUT,
  },
});

export default defineConfig({
  test: {
    // The test files of a project share one module cache: the spec, its validators and the suite's
    // sources load once per project instead of once per file. No file relies on fresh modules: the
    // only hooks outside test files are registered by the self tests' describes (test/self/child-suite.ts).
    isolate: false,
    projects: [
      // Against the Prism mock by default, or CONNECT_BASE_URL (see README): `pnpm test:contract`.
      contractProject('contract', 'test/contract/target.setup.ts'),
      // Against a freshly started @reportei-connect/sandbox, writes allowed, with its demo customer.
      contractProject('sandbox', 'test/contract/sandbox.setup.ts'),
      {
        extends: true,
        test: {
          // The suite's own tests: its checks, generators and configuration, and the proof that it can fail.
          name: 'self',
          include: ['test/unit/**/*.test.ts', 'test/self/**/*.test.ts'],
          // At least two workers, even on two cores (where the default is one): each self test spends
          // most of its time waiting for a child vitest, and two of them can overlap.
          maxWorkers: Math.max(2, availableParallelism() - 1),
          testTimeout: 120_000,
          hookTimeout: SERVER_HOOK_TIMEOUT,
        },
      },
    ],
  },
});
