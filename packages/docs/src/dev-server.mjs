// @ts-check
// The docs site as `pnpm dev` serves it while the spec is being edited: Redoc renders the current
// document in the browser (no pre-rendering, which takes seconds), with the generated code samples, and
// every open page reloads itself, on the section it shows, as soon as `update()` is given a new
// document. The built site (`pnpm build`, src/build-site.mjs) stays what is published.

import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { addCodeSamples } from '@reportei-connect/codegen-samples';
import { toPostmanCollection } from './postman.mjs';
import { localRedocScript, PAGE_IMAGES } from './redoc-page.mjs';
import { escapeHtml } from './routes.mjs';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const EVENTS_PATH = '/__dev/events';

/**
 * The page: Redoc with the options of redocly.yaml, and a listener that reloads it when the server says
 * the document changed (the address keeps the section, so the reader stays where they were).
 * @param {Record<string, unknown>} options
 * @param {string} title
 */
const page = (options, title) => `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>${escapeHtml(title)} (pnpm dev)</title>
  <meta name="viewport" content="width=device-width, initial-scale=1" />
  <link rel="icon" href="favicon.svg" type="image/svg+xml" />
  <style>body { margin: 0; padding: 0; }</style>
</head>
<body>
  <div id="redoc"></div>
  <script src="redoc.standalone.js"></script>
  <script>
    Redoc.init('openapi.json', ${JSON.stringify(options)}, document.getElementById('redoc'));
    new EventSource('${EVENTS_PATH}').addEventListener('document', () => location.reload());
  </script>
</body>
</html>
`;

/** @typedef {import('@reportei-connect/spec-model').OpenApiDocument} OpenApiDocument */

/**
 * @param {object} options
 * @param {OpenApiDocument} options.document the bundled OpenAPI document to show
 * @param {string} [options.host] default 127.0.0.1
 * @param {number} [options.port] default 8080, as `pnpm docs:serve`; 0 picks a free one
 * @returns {Promise<{ url: string, update: (document: OpenApiDocument) => void, close: () => Promise<void> }>}
 *   `update` shows another document and reloads every open page
 */
export async function startDevDocsServer({ document, host = '127.0.0.1', port = 8080 }) {
  const redocOptions = parse(await readFile(path.join(packageDir, 'redocly.yaml'), 'utf8'))?.openapi ?? {};
  const script = await localRedocScript();
  const images = new Map(await Promise.all(PAGE_IMAGES.map(async (file) => /** @type {const} */ ([`/${file}`, await readFile(path.join(packageDir, 'template', file))]))));
  let published = addCodeSamples(document);
  /** @type {Set<import('node:http').ServerResponse>} */
  const listeners = new Set();

  /** @type {Record<string, () => Promise<[string, string | Buffer]> | [string, string | Buffer]>} */
  const routes = {
    '/': () => ['text/html; charset=utf-8', page(redocOptions, String((/** @type {{ title?: string }} */ (document.info ?? {})).title ?? 'API reference'))],
    '/redoc.standalone.js': () => ['text/javascript; charset=utf-8', script],
    '/openapi.json': () => ['application/json; charset=utf-8', JSON.stringify(published)],
    '/openapi.yaml': () => ['application/yaml; charset=utf-8', stringify(published, { lineWidth: 0 })],
    '/postman.json': async () => ['application/json; charset=utf-8', JSON.stringify(await toPostmanCollection(document))],
    ...Object.fromEntries([...images].map(([route, body]) => [route, () => /** @type {[string, Buffer]} */ (['image/svg+xml', body])])),
  };

  const server = createServer(async (request, response) => {
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    if (pathname === EVENTS_PATH) {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      response.write(': connected\n\n');
      listeners.add(response);
      request.on('close', () => listeners.delete(response));
      return;
    }
    const route = routes[pathname];
    if (!route || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(route ? 405 : 404, { 'content-type': 'text/plain; charset=utf-8' }).end(route ? 'GET only\n' : 'Not found\n');
      return;
    }
    try {
      const [type, body] = await route();
      response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(request.method === 'HEAD' ? undefined : body);
    } catch (error) {
      response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`${/** @type {Error} */ (error).message}\n`);
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(undefined));
  });
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());

  return {
    url: `http://${host}:${address.port}/`,
    update(next) {
      document = next;
      published = addCodeSamples(next);
      for (const listener of listeners) listener.write('event: document\ndata: {}\n\n');
    },
    close() {
      for (const listener of listeners) listener.end();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
