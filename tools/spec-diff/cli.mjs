#!/usr/bin/env node
// Lists the breaking and non-breaking changes of the bundled spec against the spec at a git ref, and
// exits 1 when any change is breaking.
// Usage: pnpm spec:diff <git-ref> [--head <bundled.json>] [--repo <dir>]
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadDocument } from '@reportei-connect/spec-model';
import { diffSpecs, formatReport } from './diff.mjs';
import { bundledSpecOf, specAt, toolRepo, UsageError } from './git-spec.mjs';

const usage = `Usage: pnpm spec:diff <git-ref> [--head <bundled.json>] [--repo <dir>]

Bundles the spec as it is now (the working tree's spec/, or --head: an already bundled document, JSON or
YAML) and as it was at <git-ref>, with the repository's Redocly, and lists breaking changes, then
non-breaking ones.
Exit status: 0 when nothing breaks, 1 when something does, 2 when the comparison could not be made.`;

/**
 * The current spec: the working tree's sources bundled now, exactly as the other side is, so that the
 * comparison never reads a stale spec/dist and sees edits not yet committed.
 */
function currentSpec(/** @type {string} */ repo, /** @type {string | undefined} */ head) {
  if (head) return loadDocument(head);
  const specDir = join(repo, 'spec');
  if (!existsSync(join(specDir, 'openapi.yaml'))) throw new UsageError(`${specDir}/openapi.yaml does not exist: run this inside the repository, or pass --repo.`);
  return bundledSpecOf(specDir);
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
