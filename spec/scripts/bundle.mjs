// @ts-check
// `pnpm build` of the spec: bundles openapi.yaml and the files it references into one document with
// Redocly, written once as dist/openapi.json and then, from the same bundle, as dist/openapi.yaml
// (one Redocly run instead of one per format: each costs a second and a half of start-up).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

const specDir = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const redocly = join(dirname(require.resolve('@redocly/cli/package.json')), 'bin', 'cli.js');
const jsonPath = join(specDir, 'dist', 'openapi.json');

const result = spawnSync(process.execPath, [redocly, 'bundle', 'connect', '--config', 'redocly.yaml', '-o', jsonPath], {
  cwd: specDir,
  encoding: 'utf8',
  env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
});
if (result.status !== 0) {
  process.stderr.write(`${result.stdout}${result.stderr}`);
  process.exit(result.status ?? 1);
}
writeFileSync(join(specDir, 'dist', 'openapi.yaml'), stringify(JSON.parse(readFileSync(jsonPath, 'utf8')), { lineWidth: 0 }));
