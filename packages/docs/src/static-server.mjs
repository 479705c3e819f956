// @ts-check
// A small read-only static file server for the built site (used by `pnpm docs:serve` and the
// browser tests), serving as GitHub Pages does: only files under `root`, at `basePath`; a directory's
// index.html; for a missing file, `root`/404.html when there is one, with status 404. It answers GET
// and HEAD, and nothing else. Like GitHub Pages, it tags each file (ETag, Last-Modified) and answers a
// request for an unchanged copy with 304: the browser then reuses the Redoc script it has, and the
// code it compiled from it, instead of fetching and compiling 2 MB again on every page.

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';
import { normalizeBasePath } from './routes.mjs';

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
 * @param {string} options.root       the directory to serve
 * @param {string} [options.host]     default 127.0.0.1
 * @param {number} [options.port]     default 8080; 0 picks a free port
 * @param {string} [options.basePath] the URL path `root` is served at, default `/` (`/repo/`: as a
 *                                    GitHub Pages project site; nothing outside it is served)
 * @returns {Promise<{ url: string, close: () => Promise<void> }>} `url` is the site's address (the
 *          base path included) and ends with `/`
 */
export async function startStaticServer({ root, host = '127.0.0.1', port = 8080, basePath = '/' }) {
  const rootDir = path.resolve(root);
  const base = normalizeBasePath(basePath);
  const server = createServer(async (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const requestPath = request.url ?? '/';
    if (base !== '/' && requestPath.replace(/[?#].*$/, '') === base.slice(0, -1)) {
      // The base path without its slash, as GitHub Pages answers it.
      response.writeHead(301, { location: base }).end();
      return;
    }
    const inBase = requestPath.startsWith(base) ? `/${requestPath.slice(base.length)}` : undefined;
    let file = inBase === undefined ? undefined : await findFile(rootDir, inBase);
    let status = 200;
    if (file === undefined) {
      status = 404;
      file = await findFile(rootDir, '/404.html');
      if (file === undefined) {
        response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
        return;
      }
    }
    // no-cache: the browser asks each time, so a rebuilt site shows at once.
    const validators = { etag: entityTag(file), 'last-modified': file.modified.toUTCString(), 'cache-control': 'no-cache' };
    if (status === 200 && matchesEntityTag(request.headers['if-none-match'], validators.etag)) {
      response.writeHead(304, validators).end();
      return;
    }
    response.writeHead(status, {
      'content-type': CONTENT_TYPES.get(path.extname(file.path)) ?? 'application/octet-stream',
      'content-length': file.size,
      ...validators,
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
    url: `http://${hostInUrl}:${address.port}${base}`,
    close: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/**
 * A weak entity tag from the file's size and modification time, as most static servers make one.
 *
 * @param {{ size: number, modified: Date }} file
 */
const entityTag = ({ size, modified }) => `W/"${size.toString(16)}-${modified.getTime().toString(16)}"`;

/**
 * Whether an If-None-Match header names `tag` (weak comparison, as RFC 9110 asks for it), or is `*`.
 *
 * @param {string | undefined} header
 * @param {string} tag
 */
function matchesEntityTag(header, tag) {
  if (header === undefined) return false;
  const opaque = (/** @type {string} */ value) => value.trim().replace(/^W\//, '');
  return header.split(',').some((candidate) => candidate.trim() === '*' || opaque(candidate) === opaque(tag));
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
    return stats.isFile() ? { path: candidate, size: stats.size, modified: stats.mtime } : undefined;
  } catch {
    return undefined;
  }
}
