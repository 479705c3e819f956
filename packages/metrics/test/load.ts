import { mkdtempSync, mkdirSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** Resolves like a consumer of the package does (Node's self-reference goes through the exports map). */
export const requireFromPackage = createRequire(join(packageDir, 'package.json'));

/**
 * A throwaway project whose node_modules holds this package (as a symlink), so bundlers resolve
 * `@reportei-connect/metrics/...` through the exports map of the built package.
 */
export function consumerProject(): string {
  const root = mkdtempSync(join(tmpdir(), 'metrics-consumer-'));
  const link = join(root, 'node_modules', '@reportei-connect', 'metrics');
  mkdirSync(dirname(link), { recursive: true });
  symlinkSync(packageDir, link, 'dir');
  return root;
}
