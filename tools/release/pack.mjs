#!/usr/bin/env node
// @ts-check
// `pnpm pack:local <package> [...] [--out <dir>]`: until the packages are on npm, the tarballs a project
// outside this repository needs to install some of them. Packs each named package together with the
// packages of this workspace it needs at run time (its dependencies, theirs, and so on: the sandbox
// needs the metrics, openapi, spec-model and types tarballs too), with `pnpm pack`, which turns each
// `workspace:^` into the version it packs, then prints the one `npm install` command that installs them.

import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { publishedPackages } from './workspace.mjs';

/**
 * The published packages `names` need, themselves included, in the order they are named, each
 * followed by what it needs: short names (`client`, `openapi`) or full ones.
 *
 * @param {string[]} names
 * @param {import('./workspace.mjs').WorkspacePackage[]} [packages]
 * @returns {import('./workspace.mjs').WorkspacePackage[]}
 */
export function packagesToPack(names, packages = publishedPackages()) {
  const byName = new Map(packages.map((pkg) => [pkg.name, pkg]));
  /** @type {Map<string, import('./workspace.mjs').WorkspacePackage>} */
  const chosen = new Map();
  /** @param {string} name */
  const add = (name) => {
    const pkg = byName.get(name) ?? byName.get(`@reportei-connect/${name}`);
    if (pkg === undefined) {
      throw new Error(`${name} is not a published package of this repository; pick one of ${[...byName.keys()].map((full) => full.replace('@reportei-connect/', '')).join(', ')}.`);
    }
    if (chosen.has(pkg.name)) return;
    chosen.set(pkg.name, pkg);
    for (const [dependency, spec] of Object.entries(/** @type {Record<string, string>} */ ({ ...pkg.manifest.dependencies, ...pkg.manifest.peerDependencies }))) {
      if (String(spec).startsWith('workspace:') || byName.has(dependency)) add(dependency);
    }
  };
  for (const name of names) add(name);
  return [...chosen.values()];
}

const usage = `Usage: pnpm pack:local <package> [<package> ...] [--out <dir>]

Packs the named packages (client, react-query, sandbox, ... or their full names) and every package of
this repository they need at run time into <dir> (default: ./packed), then prints the npm install
command that installs them all in another project. Run \`pnpm build\` first: the tarballs hold dist/.`;

async function main() {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { out: { type: 'string', default: 'packed' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help || positionals.length === 0) {
    console.log(usage);
    return;
  }
  const out = path.resolve(process.env.INIT_CWD ?? process.cwd(), values.out);
  mkdirSync(out, { recursive: true });
  const tarballs = [];
  for (const pkg of packagesToPack(positionals)) {
    const report = execFileSync('pnpm', ['pack', '--pack-destination', out, '--json'], { cwd: pkg.absDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    tarballs.push(/** @type {string} */ (JSON.parse(report.slice(report.indexOf('{'))).filename));
  }
  console.log(`Packed ${tarballs.length} tarballs into ${out}. In your project:\n\nnpm install ${tarballs.join(' ')}`);
}

if (import.meta.url === new URL(`file://${path.resolve(process.argv[1] ?? '')}`).href) {
  try {
    await main();
  } catch (error) {
    console.error(`pack:local: ${error instanceof Error ? error.message : error}`);
    process.exitCode = 1;
  }
}
