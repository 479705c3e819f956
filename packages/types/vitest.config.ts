import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Some cases run tsc, esbuild or a server in a child process: slow when CI runs every suite at once.
    testTimeout: 60_000,
    typecheck: { enabled: true, only: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
});
