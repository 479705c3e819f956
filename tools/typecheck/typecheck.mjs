#!/usr/bin/env node
// @ts-check
// `pnpm lint`: one type-check of the whole workspace. TypeScript's build mode (`connect-tsc -b`) checks
// every package's and tool's tsconfig.json in one process, sharing what they all read (the lib files,
// @types/node, the packages' declarations), where a check per package started Node.js, pnpm and the
// compiler once each and read those again.
//
// Before checking, it makes sure the list is whole: tsconfig.json must reference every workspace package
// that has a tsconfig.json, and package.json must depend on every workspace package (so that turbo builds
// them all before this check runs). A package left out is named, with what to add.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT, workspacePackages } from '@reportei-connect/release/workspace';

const here = fileURLToPath(new URL('.', import.meta.url));
const self = JSON.parse(readFileSync(path.join(here, 'package.json'), 'utf8'));
// tsconfig.json allows comments; the references are plain JSON after them.
const solution = JSON.parse(readFileSync(path.join(here, 'tsconfig.json'), 'utf8').replace(/^\s*\/\/.*$/gm, ''));

const others = workspacePackages().filter((pkg) => pkg.name !== self.name);
const referenced = new Set(solution.references.map((/** @type {{ path: string }} */ reference) => path.resolve(here, reference.path)));
const problems = [
  ...others
    .filter((pkg) => existsSync(path.join(pkg.absDir, 'tsconfig.json')) && !referenced.has(pkg.absDir))
    .map((pkg) => `tools/typecheck/tsconfig.json: add { "path": "${path.relative(here, pkg.absDir)}" } to "references", to check ${pkg.name}`),
  ...others
    .filter((pkg) => !self.devDependencies?.[pkg.name])
    .map((pkg) => `tools/typecheck/package.json: add "${pkg.name}": "workspace:*" to "devDependencies", so that it is built before the check`),
];
if (problems.length > 0) {
  console.error(`The workspace's type-check misses packages:\n${problems.join('\n')}`);
  process.exit(1);
}

const tscManifest = createRequire(import.meta.url).resolve('@reportei-connect/tsc/package.json');
const tsc = path.join(path.dirname(tscManifest), JSON.parse(readFileSync(tscManifest, 'utf8')).bin['connect-tsc']);
// From the root, so that each problem is reported with its path in the repository.
const { status, signal } = spawnSync(process.execPath, [tsc, '-b', path.relative(ROOT, here), ...process.argv.slice(2)], { cwd: ROOT, stdio: 'inherit' });
process.exit(status ?? (signal ? 1 : 0));
