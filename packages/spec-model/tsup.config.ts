import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  // Build-time and test-time code (generators, tools, tests, the sandbox): Node ESM only.
  format: ['esm'],
  // Declarations come from connect-tsc -p tsconfig.build.json (TypeScript 7), in the build script.
  dts: false,
  clean: true,
  target: 'es2022',
  platform: 'node',
  minify: false,
});
