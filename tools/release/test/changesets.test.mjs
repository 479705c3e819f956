// The versioning step on a copy of the workspace's manifests: a changeset in, versions and
// CHANGELOG.md files out, as `pnpm version-packages` does in the repository.

import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJson, ROOT, workspacePackages } from '../workspace.mjs';

const run = promisify(execFile);
let copy = '';

beforeAll(async () => {
  copy = mkdtempSync(path.join(os.tmpdir(), 'release-changesets-'));
  for (const dir of ['.', ...workspacePackages().map((pkg) => pkg.dir)]) {
    mkdirSync(path.join(copy, dir), { recursive: true });
    cpSync(path.join(ROOT, dir, 'package.json'), path.join(copy, dir, 'package.json'));
  }
  cpSync(path.join(ROOT, 'pnpm-workspace.yaml'), path.join(copy, 'pnpm-workspace.yaml'));
  cpSync(path.join(ROOT, '.changeset'), path.join(copy, '.changeset'), { recursive: true });
  // What `pnpm changeset` writes for a minor change of the types and a patch of the client.
  writeFileSync(
    path.join(copy, '.changeset/brave-cats-sing.md'),
    "---\n'@reportei-connect/types': minor\n'@reportei-connect/client': patch\n---\n\nExport `MetricKey`.\n",
  );
  const script = readJson(path.join(ROOT, 'package.json')).scripts['version-packages'];
  expect(script).toBe('changeset version');
  await run(process.execPath, [path.join(ROOT, 'node_modules/@changesets/cli/bin.js'), 'version'], { cwd: copy, timeout: 120_000 });
}, 180_000);

afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

const versionOf = (/** @type {string} */ dir) => readJson(path.join(copy, dir, 'package.json')).version;
const before = (/** @type {string} */ dir) => readJson(path.join(ROOT, dir, 'package.json')).version;
const changelog = (/** @type {string} */ dir) => readFileSync(path.join(copy, dir, 'CHANGELOG.md'), 'utf8');

describe('pnpm version-packages', () => {
  it('bumps each package as its changeset says, and writes its CHANGELOG.md with the summary', () => {
    expect(versionOf('packages/types')).not.toBe(before('packages/types'));
    expect(changelog('packages/types')).toMatch(/^# @reportei-connect\/types\n\n## \S+\n\n### Minor Changes\n\n- Export `MetricKey`\.\n/);
    expect(changelog('packages/client')).toContain('### Patch Changes\n\n- Export `MetricKey`.');
  });

  it('bumps a published package whose dependency range the new version leaves, and says why', () => {
    // metrics depends on the types (workspace:^); a 0.x minor is outside ^0.x.
    expect(changelog('packages/metrics')).toContain('- Updated dependencies\n  - @reportei-connect/types@');
  });

  it('leaves the private packages alone', () => {
    for (const pkg of workspacePackages().filter((candidate) => !candidate.published)) {
      expect(versionOf(pkg.dir), pkg.name).toBe(pkg.manifest.version);
      expect(existsSync(path.join(copy, pkg.dir, 'CHANGELOG.md')), pkg.name).toBe(false);
    }
  });
});
