#!/usr/bin/env node
// Lists the breaking and non-breaking changes of the bundled spec against the spec at a git ref, and
// exits 1 when any change is breaking.
// Usage: pnpm spec:diff <git-ref> [--head <bundled.json>] [--repo <dir>]
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { diffSpecs, formatReport } from './diff.mjs';
import { specAt, toolRepo, UsageError } from './git-spec.mjs';

const usage = `Usage: pnpm spec:diff <git-ref> [--head <bundled.json>] [--repo <dir>]

Compares the bundled spec (spec/dist/openapi.json, or --head) with the spec as it was at <git-ref>,
bundled the same way, and lists breaking changes, then non-breaking ones. Exit status: 0 when nothing
breaks, 1 when something does, 2 when the comparison could not be made.`;

/** The newest modification time among the spec's sources, to tell whether the bundle is stale. */
function newestSource(/** @type {string} */ specDir) {
  let newest = statSync(join(specDir, 'openapi.yaml')).mtimeMs;
  for (const folder of ['paths', 'components']) {
    const root = join(specDir, folder);
    if (!existsSync(root)) continue;
    for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

/** The current bundled spec, refusing a bundle older than its sources. */
function currentSpec(/** @type {string} */ repo, /** @type {string | undefined} */ head) {
  if (head) return JSON.parse(readFileSync(head, 'utf8'));
  const bundled = join(repo, 'spec', 'dist', 'openapi.json');
  const build = 'pnpm --filter @reportei-connect/openapi build';
  if (!existsSync(bundled)) throw new UsageError(`${bundled} does not exist: build the spec first (${build}).`);
  if (newestSource(join(repo, 'spec')) > statSync(bundled).mtimeMs) throw new UsageError(`${bundled} is older than the spec's sources: rebuild it first (${build}).`);
  return JSON.parse(readFileSync(bundled, 'utf8'));
}

function main() {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { head: { type: 'string' }, repo: { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('Give exactly one git ref to compare against.');
  const [ref] = /** @type {[string]} */ (positionals);
  const repo = values.repo ?? toolRepo;
  const after = currentSpec(repo, values.head);
  const before = specAt(repo, ref);
  if (!before) {
    console.log(`spec/openapi.yaml did not exist at ${ref}: nothing to compare.`);
    return 0;
  }
  const changes = diffSpecs(before, after);
  console.log(formatReport(changes, ref));
  return changes.some((change) => change.breaking) ? 1 : 0;
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(`spec-diff: ${error instanceof Error ? error.message : String(error)}`);
  const badArguments = error instanceof UsageError || (error instanceof TypeError && String(/** @type {{ code?: unknown }} */ (error).code).startsWith('ERR_PARSE_ARGS'));
  if (badArguments) console.error(`\n${usage}`);
  process.exitCode = 2;
}
