import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/cli.ts'],
  format: ['esm'],
  dts: { entry: 'src/index.ts' },
  clean: true,
  target: 'es2022',
  platform: 'node',
  // The spec model is a workspace package that is not published: it is bundled in. Its own
  // dependencies (ajv, ajv-formats, yaml) stay external and are this package's dependencies.
  noExternal: ['@reportei-connect/spec-model'],
});
