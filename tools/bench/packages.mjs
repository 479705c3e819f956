// Finds the workspace's public packages and the JavaScript file behind each entry of their `exports`
// maps, as a bundler targeting the browser would pick it. Used by the size section (every entry) and
// by the per-call section (the client's main entry).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publishedPackages } from '@reportei-connect/release/workspace';

export { ROOT } from '@reportei-connect/release/workspace';

/** Conditions a browser bundler honours, in the order it tries them. `types` and `require` never are. */
const CONDITIONS = ['browser', 'import', 'module', 'default'];

/** @typedef {import('@reportei-connect/release/workspace').WorkspacePackage} PublicPackage */

/** @returns {PublicPackage[]} every published package with an `exports` map, sorted by name */
export function publicPackages() {
  return publishedPackages()
    .filter(({ manifest }) => manifest.exports)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The target an `exports` value resolves to under browser/ESM conditions, or undefined when none applies
 * (a types-only or require-only entry).
 * @param {unknown} value
 * @returns {string | undefined}
 */
export function resolveConditions(value) {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(resolveConditions).find(Boolean);
  if (value && typeof value === 'object') {
    for (const condition of CONDITIONS) {
      if (condition in value) {
        const target = resolveConditions(/** @type {Record<string, unknown>} */ (value)[condition]);
        if (target) return target;
      }
    }
  }
  return undefined;
}

/**
 * @typedef {object} PackageEntry
 * @property {string} specifier what a user imports, e.g. `@reportei-connect/client/webhooks`
 * @property {string} file absolute path of the built JavaScript file
 * @property {boolean} built whether that file exists yet
 * @property {number} [patternMatches] for a `./*` pattern: how many entries it expands to (one is measured)
 */

/**
 * The JavaScript entries of a package's `exports` map. A subpath pattern (`./*`) is represented by the
 * first of its built files in alphabetical order, since every expansion has the same shape.
 * @param {Pick<PublicPackage, 'name' | 'absDir' | 'manifest'>} pkg
 * @returns {PackageEntry[]}
 */
export function packageEntries(pkg) {
  const exportsField = /** @type {unknown} */ (pkg.manifest.exports);
  /** @type {Record<string, unknown>} */
  const map =
    typeof exportsField !== 'object' || exportsField === null || Array.isArray(exportsField) || !Object.keys(exportsField).every((key) => key.startsWith('.'))
      ? { '.': exportsField }
      : /** @type {Record<string, unknown>} */ (exportsField);
  /** @type {PackageEntry[]} */
  const entries = [];
  for (const [subpath, value] of Object.entries(map)) {
    const target = resolveConditions(value);
    if (!target || !/\.[cm]?js$/.test(target)) continue; // package.json, JSON data, types-only entries
    const specifier = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
    if (!subpath.includes('*')) {
      const file = join(pkg.absDir, target);
      entries.push({ specifier, file, built: existsSync(file) });
      continue;
    }
    const [prefix = '', suffix = ''] = target.split('*');
    const folder = join(pkg.absDir, dirname(prefix + 'x'));
    const filePrefix = relative(folder, join(pkg.absDir, prefix + 'x')).slice(0, -1);
    const matches = existsSync(folder)
      ? readdirSync(folder)
          .filter((name) => name.startsWith(filePrefix) && name.endsWith(suffix))
          .sort()
      : [];
    const first = matches[0];
    if (first === undefined) {
      entries.push({ specifier, file: join(pkg.absDir, target), built: false });
      continue;
    }
    const stem = first.slice(filePrefix.length, first.length - suffix.length);
    entries.push({
      specifier: specifier.replace('*', stem),
      file: join(folder, first),
      built: true,
      patternMatches: matches.length,
    });
  }
  return entries;
}

/**
 * The installed version of a dependency of the tools package, read from its package.json, so labels
 * such as "openapi-fetch 0.17.0" follow upgrades. Read from this package's node_modules, since not
 * every package exports its package.json.
 * @param {string} name
 */
export function installedVersion(name) {
  return JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'node_modules', name, 'package.json'), 'utf8')).version;
}
