#!/usr/bin/env node
// @ts-check
// `pnpm dev [--docs-port 8080] [--sandbox-port 4011] [--state <file>] [--no-sandbox]`: see dev.mjs. The
// root script builds what this needs first (turbo, so usually from cache).
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from '@reportei-connect/release/workspace';
import { startDev } from './dev.mjs';

const usage = `Usage: pnpm dev [--docs-port 8080] [--sandbox-port 4011] [--state <file>] [--no-sandbox]

Watches spec/: on each save, lints and bundles the spec, regenerates and rebuilds the packages made
from it (types, client, metrics), reloads the docs site and restarts the sandbox on the new document.
  --docs-port <n>     where the docs site is served (default 8080)
  --sandbox-port <n>  where the sandbox listens, its API under /api (default 4011)
  --state <file>      the sandbox's --state file, kept across restarts (default .dev/sandbox-state.json)
  --no-sandbox        do not run a sandbox`;

/**
 * @param {string} message
 * @returns {never}
 */
function fail(message) {
  console.error(`pnpm dev: ${message}\n\n${usage}`);
  process.exit(2);
}

function parse() {
  try {
    return parseArgs({
      options: {
        'docs-port': { type: 'string', default: '8080' },
        'sandbox-port': { type: 'string', default: '4011' },
        state: { type: 'string', default: join(ROOT, '.dev', 'sandbox-state.json') },
        'no-sandbox': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (error) {
    return fail(/** @type {Error} */ (error).message);
  }
}
const values = parse();
if (values.help) {
  console.log(usage);
  process.exit(0);
}
/** @param {string} name */
const port = (name) => {
  const text = /** @type {string} */ (values[/** @type {'docs-port' | 'sandbox-port'} */ (name)]);
  if (!/^\d+$/.test(text) || Number(text) > 65535) fail(`--${name} must be a number from 0 to 65535, got "${text}"`);
  return Number(text);
};

const dev = await startDev({
  docsPort: port('docs-port'),
  sandboxPort: values['no-sandbox'] ? undefined : port('sandbox-port'),
  state: resolve(values.state),
}).catch((/** @type {Error & { code?: string }} */ error) => {
  if (error.code === 'EADDRINUSE') fail(`port ${port('docs-port')} is in use: stop what listens there (pnpm docs:serve?), or choose another with --docs-port.`);
  throw error;
});
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.once(signal, () => void dev.close().then(() => process.exit(0)));
}
