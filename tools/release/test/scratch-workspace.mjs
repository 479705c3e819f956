// Throw-away workspaces for the rules' tests: a pnpm-workspace.yaml listing packages/*, plus the given
// files, in a temporary folder removed after the file's tests.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

/**
 * Returns the function that makes one workspace from `files` (path relative to its root, to text) and
 * returns its root. Call it at the top of a `describe` or a test file: the workspaces go in `afterAll`.
 */
export function scratchWorkspaces() {
  /** @type {string[]} */
  const made = [];
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });
  return (/** @type {Record<string, string>} */ files) => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'release-workspace-'));
    made.push(root);
    for (const [file, text] of Object.entries({ 'pnpm-workspace.yaml': 'packages:\n  - packages/*\n', ...files })) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    }
    return root;
  };
}
