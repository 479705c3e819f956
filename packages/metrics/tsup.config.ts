import { readdirSync } from 'node:fs';
import { defineConfig } from 'tsup';

// One entry per generated integration module (`@reportei-connect/metrics/<slug>`), plus the root. Each
// keeps its source's path under dist/, where tsc writes its declarations.
const integrationEntries = Object.fromEntries(
  readdirSync('src/generated/integrations')
    .filter((file) => file.endsWith('.ts'))
    .map((file) => {
      const slug = file.slice(0, -'.ts'.length);
      return [`generated/integrations/${slug}`, `src/generated/integrations/${file}`];
    }),
);

export default defineConfig({
  entry: { index: 'src/index.ts', ...integrationEntries },
  format: ['esm', 'cjs'],
  // Declarations come from connect-tsc -p tsconfig.build.json (TypeScript 7), in the build script.
  dts: false,
  clean: true,
  target: 'es2022',
  // ESM entries share one chunk per integration, so the root and a subpath never hold two copies of
  // the same data; chunks go to their own folder, out of reach of the `./*` subpath export.
  splitting: true,
  esbuildOptions(options) {
    options.chunkNames = 'chunks/[name]-[hash]';
  },
});
