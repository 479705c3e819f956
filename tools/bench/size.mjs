// Bundle size: the bytes each public package entry adds to a browser app. Each entry is bundled on its
// own with esbuild (minified, ESM, browser platform), with the package's peer dependencies left out
// as the app provides them, then measured raw and gzipped. Entries that import Node's built-in modules
// (the mock, the sandbox, the spec model) are for Node only: they are listed, not measured.
import { builtinModules } from 'node:module';
import { relative } from 'node:path';
import { constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { ROOT, installedVersion, packageEntries, publicPackages } from './packages.mjs';

const NODE_BUILTIN = new RegExp(`^(node:.*|${builtinModules.map((name) => name.replace(/[/]/g, '\\/')).join('|')})(/.*)?$`);

/**
 * Bundles one entry and returns its minified and gzipped sizes, and the Node built-in modules it
 * imports (left out of the bundle; an entry that imports any is not for browsers).
 * @param {{ file: string } | { source: string }} entry a built file, or a module's source text
 * @param {string[]} external
 */
export async function bundleSize(entry, external) {
  /** @type {Set<string>} */
  const nodeBuiltins = new Set();
  const result = await build({
    plugins: [
      {
        name: 'node-builtins',
        setup(build) {
          build.onResolve({ filter: NODE_BUILTIN }, ({ path }) => {
            nodeBuiltins.add(path);
            return { path, external: true };
          });
        },
      },
    ],
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
  return { minBytes: bytes.length, gzipBytes, nodeBuiltins: [...nodeBuiltins].sort() };
}

/** Each peer library: its package, the import measured, and what the row stands for. */
export const PEERS = /** @type {const} */ ([
  ['openapi-fetch', "export { default } from 'openapi-fetch';", '`createClient`, which the client builds on'],
  ['ky', "export { default } from 'ky';", null],
  ['ofetch', "export { ofetch } from 'ofetch';", null],
  ['axios', "export { default } from 'axios';", 'its browser build (XHR and fetch adapters)'],
]);

/** @param {{ log: (line: string) => void }} options */
export async function benchSize({ log }) {
  const rows = [];
  /** @type {string[]} */
  const nodeOnly = [];
  for (const pkg of publicPackages()) {
    const external = Object.keys(/** @type {Record<string, string>} */ (pkg.manifest.peerDependencies ?? {}));
    const entries = packageEntries(pkg);
    for (const entry of entries) {
      if (!entry.built) {
        log(`size: ${entry.specifier} is not built (${relative(ROOT, entry.file)}); run \`pnpm build\``);
        continue;
      }
      const { nodeBuiltins, ...size } = await bundleSize({ file: entry.file }, external);
      if (nodeBuiltins.length > 0) {
        nodeOnly.push(entry.specifier);
        continue;
      }
      rows.push({
        entry: entry.specifier,
        ...size,
        external,
        ...(entry.patternMatches !== undefined && { note: `one of ${entry.patternMatches} subpaths` }),
        ...(size.minBytes === 0 && { note: 'types only, no runtime code' }),
      });
    }
  }
  // The floor the client is built on, and the libraries a user would otherwise call the API with: what
  // importing each costs a browser app, by the same method.
  for (const [name, source, note] of PEERS) {
    const { nodeBuiltins, ...size } = await bundleSize({ source }, []);
    if (nodeBuiltins.length > 0) throw new Error(`${name}'s browser build imports ${nodeBuiltins.join(', ')}`);
    rows.push({ entry: `${name} ${installedVersion(name)}`, ...size, external: [], ...(note && { note }), peer: true });
  }
  if (nodeOnly.length > 0) log(`size: for Node only, not measured: ${nodeOnly.join(', ')}`);
  return { method: 'esbuild --bundle --minify --format=esm --platform=browser, peer deps external; gzip level 9', rows, nodeOnly };
}
