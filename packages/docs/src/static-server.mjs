// @ts-check
// A small read-only static file server for the built site (used by `pnpm docs:serve` and the
// browser test). It serves only files under `root`, answers GET and HEAD, and nothing else.

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';

const CONTENT_TYPES = new Map([
  ['.html', 'text/html; charset=utf-8'],
  ['.js', 'text/javascript; charset=utf-8'],
  ['.json', 'application/json; charset=utf-8'],
  ['.yaml', 'application/yaml; charset=utf-8'],
  ['.svg', 'image/svg+xml'],
  ['.png', 'image/png'],
  ['.css', 'text/css; charset=utf-8'],
]);

/**
 * @param {object} options
 * @param {string} options.root     the directory to serve
 * @param {string} [options.host]   default 127.0.0.1
 * @param {number} [options.port]   default 8080; 0 picks a free port
 * @returns {Promise<{ url: string, close: () => Promise<void> }>} `url` ends with `/`
 */
export async function startStaticServer({ root, host = '127.0.0.1', port = 8080 }) {
  const rootDir = path.resolve(root);
  const server = createServer(async (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const file = await findFile(rootDir, request.url ?? '/');
    if (file === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    response.writeHead(200, {
      'content-type': CONTENT_TYPES.get(path.extname(file.path)) ?? 'application/octet-stream',
      'content-length': file.size,
      'cache-control': 'no-cache',
    });
    if (request.method === 'HEAD') response.end();
    else createReadStream(file.path).pipe(response);
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(undefined));
  });
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  const hostInUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${hostInUrl}:${address.port}/`,
    close: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/**
 * Maps a request URL to a regular file under `rootDir` (a directory maps to its index.html), or
 * `undefined` when there is none or the path would leave `rootDir`.
 *
 * @param {string} rootDir
 * @param {string} requestUrl
 */
async function findFile(rootDir, requestUrl) {
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(requestUrl, 'http://localhost').pathname);
  } catch {
    return undefined; // malformed percent-encoding
  }
  let candidate = path.resolve(rootDir, `.${pathname}`);
  if (candidate !== rootDir && !candidate.startsWith(rootDir + path.sep)) return undefined;
  try {
    let stats = await stat(candidate);
    if (stats.isDirectory()) {
      candidate = path.join(candidate, 'index.html');
      stats = await stat(candidate);
    }
    return stats.isFile() ? { path: candidate, size: stats.size } : undefined;
  } catch {
    return undefined;
  }
}
