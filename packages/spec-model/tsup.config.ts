import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  // Build-time and test-time code (generators, tools, tests, the sandbox): Node ESM only.
  format: ['esm'],
  dts: true,
  clean: true,
  target: 'es2022',
  platform: 'node',
  minify: false,
});
