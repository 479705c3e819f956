// @ts-check
// The workspace's packages as pnpm-workspace.yaml lists them, which of them are published, and the
// rules every published package's package.json follows (RELEASING.md, "What is published").

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** The repository's root folder. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The packages that ship the upstream data (CC BY-SA 4.0) besides MIT code. */
export const DATA_PACKAGES = new Set(['@reportei-connect/openapi', '@reportei-connect/metrics']);

/** The notice those packages carry besides `LICENSE`. */
export const DATA_LICENSE_FILE = 'LICENSE-CC-BY-SA-4.0';

/**
 * @typedef {object} WorkspacePackage
 * @property {string} name
 * @property {string} dir       relative to the root, with `/`: `packages/client`, `spec`
 * @property {string} absDir
 * @property {Record<string, any>} manifest  its package.json
 * @property {boolean} published            not `"private": true`
 */

/**
 * @param {string} file
 * @returns {any}
 */
export const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/**
 * Every package pnpm-workspace.yaml names (plain folders and `folder/*` patterns), by folder.
 *
 * @param {string} [root]
 * @returns {WorkspacePackage[]}
 */
export function workspacePackages(root = ROOT) {
  const { packages: patterns = [] } = parse(readFileSync(path.join(root, 'pnpm-workspace.yaml'), 'utf8')) ?? {};
  /** @type {Set<string>} */
  const dirs = new Set();
  for (const pattern of /** @type {string[]} */ (patterns)) {
    if (pattern.startsWith('!')) continue;
    const clean = pattern.replace(/\/+$/, '');
    const slash = clean.lastIndexOf('/');
    const parent = slash === -1 ? '.' : clean.slice(0, slash);
    const last = clean.slice(slash + 1);
    if (/[*?{[]/.test(parent) || /[?{[]|\*\*/.test(last)) {
      throw new Error(`pnpm-workspace.yaml: "${pattern}" is not a folder or <folder>/<name with *>; teach tools/release/workspace.mjs to read it`);
    }
    if (!last.includes('*')) {
      if (existsSync(path.join(root, clean, 'package.json'))) dirs.add(clean);
      continue;
    }
    const matcher = new RegExp(`^${last.split('*').map((part) => part.replace(/[.+^${}()|\\]/g, '\\$&')).join('[^/]*')}$`);
    const parentDir = path.join(root, parent);
    if (!existsSync(parentDir)) continue;
    for (const entry of readdirSync(parentDir, { withFileTypes: true })) {
      if (entry.isDirectory() && matcher.test(entry.name) && existsSync(path.join(parentDir, entry.name, 'package.json'))) {
        dirs.add(parent === '.' ? entry.name : `${parent}/${entry.name}`);
      }
    }
  }
  return [...dirs].sort().map((dir) => {
    const absDir = path.join(root, dir);
    const manifest = readJson(path.join(absDir, 'package.json'));
    return { name: manifest.name, dir, absDir, manifest, published: manifest.private !== true };
  });
}

/**
 * @param {string} [root]
 * @returns {WorkspacePackage[]}
 */
export const publishedPackages = (root = ROOT) => workspacePackages(root).filter((pkg) => pkg.published);

/**
 * The rows of RELEASING.md's "What is published" table: `name` (a package name, or a folder pattern
 * such as `tools/*`), `folder` and `published`.
 *
 * @param {string} [root]
 * @returns {{ name: string, folder: string, published: boolean }[]}
 */
export function releasingTable(root = ROOT) {
  const text = readFileSync(path.join(root, 'RELEASING.md'), 'utf8');
  const section = text.split(/^## /m).find((part) => part.startsWith('What is published'));
  if (section === undefined) throw new Error('RELEASING.md has no "## What is published" section');
  const rows = [];
  for (const line of section.split('\n')) {
    const cells = line.split('|').slice(1, -1).map((cell) => cell.trim());
    if (cells.length < 3 || !cells[0]?.startsWith('`')) continue;
    const unquote = (/** @type {string} */ cell) => cell.replace(/^`|`$/g, '');
    const published = /** @type {string} */ (cells[2]);
    if (published !== 'yes' && published !== 'no') throw new Error(`RELEASING.md: "${line}" says "${published}", not yes or no, in its published column`);
    rows.push({ name: unquote(/** @type {string} */ (cells[0])), folder: unquote(/** @type {string} */ (cells[1])).replace(/\/$/, ''), published: published === 'yes' });
  }
  return rows;
}

/**
 * Where RELEASING.md's table and the packages disagree: a package not in the table, a row naming no
 * package or the wrong folder, a published package the table calls private, or the other way round.
 *
 * @param {string} [root]
 * @returns {string[]}
 */
export function releasingTableProblems(root = ROOT) {
  const problems = [];
  const rows = releasingTable(root);
  const packages = workspacePackages(root);
  for (const pkg of packages) {
    const row =
      rows.find((candidate) => candidate.name === pkg.name) ??
      rows.find((candidate) => candidate.name.endsWith('/*') && pkg.dir.startsWith(candidate.name.slice(0, -1)));
    if (row === undefined) {
      problems.push(`${pkg.name} (${pkg.dir}) is not in RELEASING.md's "What is published" table`);
      continue;
    }
    if (!row.name.endsWith('/*') && row.folder !== pkg.dir) problems.push(`RELEASING.md says ${pkg.name} is in ${row.folder}/, but it is in ${pkg.dir}/`);
    if (row.published !== pkg.published) {
      problems.push(
        `RELEASING.md says ${pkg.name} is ${row.published ? '' : 'not '}published, but its package.json ${pkg.published ? 'is not' : 'is'} "private": true`,
      );
    }
  }
  for (const row of rows) {
    const matched = row.name.endsWith('/*')
      ? packages.some((pkg) => pkg.dir.startsWith(row.name.slice(0, -1)))
      : packages.some((pkg) => pkg.name === row.name);
    if (!matched) problems.push(`RELEASING.md lists ${row.name}, which is no package of the workspace`);
  }
  return problems;
}

/**
 * The version of `dependency` that `pkg` gets in the workspace (its node_modules, as pnpm installed
 * it), or `undefined`.
 *
 * @param {WorkspacePackage} pkg
 * @param {string} dependency
 */
export function installedVersion(pkg, dependency) {
  const file = path.join(pkg.absDir, 'node_modules', dependency, 'package.json');
  return existsSync(file) ? /** @type {string} */ (readJson(file).version) : undefined;
}

const EXACT_VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

/**
 * Everything a published package's package.json must say (RELEASING.md), as a list of problems.
 *
 * @param {string} [root]
 * @returns {string[]}
 */
export function metadataProblems(root = ROOT) {
  /** @type {string[]} */
  const problems = [];
  const rootManifest = readJson(path.join(root, 'package.json'));
  const repositoryUrl = rootManifest.repository?.url;
  const github = typeof repositoryUrl === 'string' ? /^git\+https:\/\/github\.com\/([^/]+\/[^/]+?)\.git$/.exec(repositoryUrl) : null;
  if (!github) {
    problems.push(`package.json (root): repository.url must be git+https://github.com/<owner>/<repo>.git, got ${JSON.stringify(repositoryUrl)}`);
    return problems;
  }
  const site = `https://github.com/${github[1]}`;
  const packages = workspacePackages(root);
  const published = new Set(packages.filter((pkg) => pkg.published).map((pkg) => pkg.name));
  const workspaceNames = new Set(packages.map((pkg) => pkg.name));

  for (const pkg of packages.filter((candidate) => candidate.published)) {
    const m = pkg.manifest;
    const say = (/** @type {string} */ message) => problems.push(`${pkg.dir}/package.json (${pkg.name}): ${message}`);
    const data = DATA_PACKAGES.has(pkg.name);
    const license = data ? 'MIT AND CC-BY-SA-4.0' : 'MIT';
    if (m.license !== license) say(`"license" must be "${license}", got ${JSON.stringify(m.license)}`);
    for (const file of ['LICENSE', 'README.md', ...(data ? [DATA_LICENSE_FILE] : [])]) {
      if (!existsSync(path.join(pkg.absDir, file))) say(`${pkg.dir}/${file} is missing`);
    }
    if (!Array.isArray(m.files) || m.files.length === 0) say('"files" must list what is published');
    else if (data && !m.files.includes(DATA_LICENSE_FILE)) say(`"files" must include ${DATA_LICENSE_FILE}`);
    if (m.repository?.type !== 'git' || m.repository?.url !== repositoryUrl || m.repository?.directory !== pkg.dir) {
      say(`"repository" must be { "type": "git", "url": "${repositoryUrl}", "directory": "${pkg.dir}" } (the root's url), got ${JSON.stringify(m.repository)}`);
    }
    const homepage = `${site}/tree/main/${pkg.dir}#readme`;
    if (m.homepage !== homepage) say(`"homepage" must be "${homepage}", got ${JSON.stringify(m.homepage)}`);
    const bugs = typeof m.bugs === 'string' ? m.bugs : m.bugs?.url;
    if (bugs !== `${site}/issues`) say(`"bugs" must be { "url": "${site}/issues" }, got ${JSON.stringify(m.bugs)}`);
    if (!Array.isArray(m.keywords) || m.keywords.length === 0 || !m.keywords.every((/** @type {unknown} */ k) => typeof k === 'string' && k !== '')) {
      say('"keywords" must be a non-empty list of words');
    }
    if (m.engines?.node !== rootManifest.engines?.node) say(`"engines" must be { "node": "${rootManifest.engines?.node}" }, as the root's, got ${JSON.stringify(m.engines)}`);
    if (m.publishConfig?.access !== 'public' || m.publishConfig?.provenance !== true) {
      say(`"publishConfig" must be { "access": "public", "provenance": true }, got ${JSON.stringify(m.publishConfig)}`);
    }
    for (const [dependency, spec] of Object.entries(/** @type {Record<string, string>} */ (m.dependencies ?? {}))) {
      if (workspaceNames.has(dependency)) {
        if (!published.has(dependency)) say(`depends at run time on ${dependency}, which is not published: publish it, bundle it, or make it a devDependency`);
        if (spec !== 'workspace:^') say(`"${dependency}": "${spec}" must be "workspace:^", packed as ^<version> so that users share one copy`);
        continue;
      }
      if (spec.startsWith('workspace:')) {
        say(`"${dependency}": "${spec}" names no package of the workspace`);
        continue;
      }
      const range = /^([~^])(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)$/.exec(spec);
      if (!range) {
        say(
          `"${dependency}": "${spec}" must be a range, ^<version> or ~<version>${EXACT_VERSION.test(spec) ? ' (an exact version makes users carry a second copy of it)' : ''}`,
        );
        continue;
      }
      const tested = installedVersion(pkg, dependency);
      if (tested !== range[2]) {
        say(`"${dependency}": "${spec}" starts below or above what the tests run against (${tested ?? 'nothing installed'}): make it ${range[1]}${tested ?? '<version>'}`);
      }
    }
  }
  return problems;
}
