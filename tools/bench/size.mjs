// Bundle size: the bytes each public package entry adds to a browser app. Each entry is bundled on its
// own with esbuild (minified, ESM, browser platform), with the package's peer dependencies left out
// as the app provides them, then measured raw and gzipped.
import { relative } from 'node:path';
import { constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { ROOT, installedVersion, packageEntries, publicPackages } from './packages.mjs';

/**
 * Bundles one entry and returns its minified and gzipped sizes.
 * @param {{ file: string } | { source: string }} entry a built file, or a module's source text
 * @param {string[]} external
 */
export async function bundleSize(entry, external) {
  const result = await build({
    ...('file' in entry
      ? { entryPoints: [entry.file] }
      : { stdin: { contents: entry.source, resolveDir: import.meta.dirname, loader: 'js' } }),
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    external,
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error(`esbuild wrote nothing for ${'file' in entry ? entry.file : 'a module'}`);
  const bytes = output.contents;
  // An empty module costs nothing, though gzip would report its 20-byte header.
  const gzipBytes = bytes.length === 0 ? 0 : gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION }).length;
  return { minBytes: bytes.length, gzipBytes };
}

/** @param {{ log: (line: string) => void }} options */
export async function benchSize({ log }) {
  const rows = [];
  for (const pkg of publicPackages()) {
    const external = Object.keys(/** @type {Record<string, string>} */ (pkg.manifest.peerDependencies ?? {}));
    const entries = packageEntries(pkg);
    if (entries.length === 0) log(`size: ${pkg.name} has no JavaScript entry in its exports map`);
    for (const entry of entries) {
      if (!entry.built) {
        log(`size: ${entry.specifier} is not built (${relative(ROOT, entry.file)}); run \`pnpm build\``);
        continue;
      }
      const size = await bundleSize({ file: entry.file }, external);
      rows.push({
        entry: entry.specifier,
        ...size,
        external,
        ...(entry.patternMatches !== undefined && { note: `one of ${entry.patternMatches} subpaths` }),
        ...(size.minBytes === 0 && { note: 'no runtime code (types only)' }),
      });
    }
  }
  // The floor the client is built on, for comparison: what importing bare openapi-fetch's createClient costs.
  const reference = await bundleSize({ source: "export { default } from 'openapi-fetch';" }, []);
  rows.push({ entry: `openapi-fetch ${installedVersion('openapi-fetch')} createClient (reference)`, ...reference, external: [] });
  return { method: 'esbuild --bundle --minify --format=esm --platform=browser, peer deps external; gzip level 9', rows };
}
