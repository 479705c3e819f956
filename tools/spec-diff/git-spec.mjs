// Builds the spec as it was at a git ref: its sources are taken with `git archive` (no worktree, no
// checkout, nothing left behind) and bundled with Redocly (this package's own dependency, the version the
// spec's build uses), as the spec's build does.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDocument } from '@reportei-connect/spec-model';

/** The repository this tool lives in: its installed Redocly bundles both sides. */
export const toolRepo = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** A problem with what the user asked for (an unknown ref, a missing bundle), as opposed to a failure of the tool. */
export class UsageError extends Error {}

/** @param {string} command @param {string[]} args @param {import('node:child_process').SpawnSyncOptions} [options] */
function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.error) throw result.error;
  return result;
}

/**
 * Bundles `openapi.yaml` of a spec folder (using its `redocly.yaml`) into one JSON document.
 * @param {string} specDir @param {string} output
 */
export function bundleSpec(specDir, output) {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('@redocly/cli/package.json');
  const cli = join(manifest, '..', /** @type {{ bin: { redocly: string } }} */ (require(manifest)).bin.redocly);
  const result = run(process.execPath, [cli, 'bundle', 'openapi.yaml', '-o', output], {
    cwd: specDir,
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  });
  if (result.status !== 0) throw new Error(`Redocly could not bundle ${specDir}/openapi.yaml:\n${result.stderr || result.stdout}`);
}

/**
 * The spec of a folder, bundled into a scratch file and read.
 * @param {string} specDir @returns {import('@reportei-connect/spec-model').OpenApiDocument}
 */
export function bundledSpecOf(specDir) {
  const scratch = mkdtempSync(join(tmpdir(), 'spec-diff-'));
  try {
    const output = join(scratch, 'bundled.json');
    bundleSpec(specDir, output);
    return loadDocument(output);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The bundled spec as it was at `ref` in `repo`, or undefined when `spec/openapi.yaml` did not exist yet.
 * @param {string} repo @param {string} ref @returns {import('@reportei-connect/spec-model').OpenApiDocument | undefined}
 */
export function specAt(repo, ref) {
  const commit = run('git', ['-C', repo, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  if (commit.status !== 0) throw new UsageError(`"${ref}" is not a commit of ${repo}: give a branch, tag or commit, such as HEAD~1 or main.`);
  if (run('git', ['-C', repo, 'cat-file', '-e', `${ref}:spec/openapi.yaml`]).status !== 0) return undefined;

  const scratch = mkdtempSync(join(tmpdir(), 'spec-diff-'));
  try {
    // The sources only: the payload catalogue is data, not API.
    const archive = run('git', ['-C', repo, 'archive', '--format=tar', ref, '--', 'spec', ':(exclude)spec/payloads'], { encoding: 'buffer' });
    if (archive.status !== 0) throw new Error(`git archive ${ref} failed: ${archive.stderr}`);
    const extract = run('tar', ['-x', '-C', scratch], { input: archive.stdout, encoding: 'buffer' });
    if (extract.status !== 0) throw new Error(`tar could not unpack the spec of ${ref}: ${extract.stderr}`);
    return bundledSpecOf(join(scratch, 'spec'));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
