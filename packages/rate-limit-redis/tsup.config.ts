import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  // Declarations come from connect-tsc -p tsconfig.build.json (TypeScript 7), in the build script.
  dts: false,
  clean: true,
  target: 'es2022',
});
