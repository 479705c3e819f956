import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/server.ts'],
  format: ['esm'],
  // Nothing is imported from this package: it has a bin only, so no declarations.
  dts: false,
  clean: true,
  target: 'es2022',
  platform: 'node',
});
