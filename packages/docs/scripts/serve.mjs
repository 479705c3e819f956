// @ts-check
// `pnpm docs:serve`: serves the built site (dist/) on http://127.0.0.1:8080 until interrupted.
// Options: --port <n> (0 picks a free one), --host <address>, --base <path> (the path the site was
// built for with `pnpm docs:build --base <path>`, default /).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { normalizeBasePath } from '../src/routes.mjs';
import { startStaticServer } from '../src/static-server.mjs';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    host: { type: 'string', default: '127.0.0.1' },
    base: { type: 'string', default: '/' },
  },
});
const root = fileURLToPath(new URL('../dist', import.meta.url));
if (!existsSync(root)) {
  console.error('packages/docs/dist does not exist yet: build it first with `pnpm turbo run build --filter=@reportei-connect/docs...`.');
  process.exit(1);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a whole number from 0 to 65535, got "${values.port}".`);
  process.exit(1);
}
let basePath;
try {
  basePath = normalizeBasePath(values.base);
} catch (error) {
  console.error(`--base: ${/** @type {Error} */ (error).message}`);
  process.exit(1);
}
const server = await startStaticServer({ root, host: values.host, port, basePath });
console.log(`Reportei Connect docs: ${server.url} (Ctrl+C to stop)`);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => void server.close().then(() => process.exit(0)));
}
