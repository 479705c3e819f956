import { request } from 'node:http';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStaticServer } from '../src/static-server.mjs';

let root: string;
let server: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  const parent = await mkdtemp(path.join(tmpdir(), 'docs-static-'));
  root = path.join(parent, 'site');
  await mkdir(path.join(root, 'nested'), { recursive: true });
  await writeFile(path.join(root, 'index.html'), '<!doctype html><title>home</title>');
  await writeFile(path.join(root, 'openapi.yaml'), 'openapi: 3.1.0\n');
  await writeFile(path.join(root, 'nested', 'index.html'), 'nested');
  await writeFile(path.join(parent, 'secret.txt'), 'outside the root');
  server = await startStaticServer({ root, port: 0 });
});

afterAll(async () => {
  await server.close();
  await rm(path.dirname(root), { recursive: true, force: true });
});

/** A raw request, so the path reaches the server exactly as written (fetch would normalise `..`). */
function rawRequest(
  method: string,
  requestPath: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; type: string | undefined; etag: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(server.url), { method, path: requestPath, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], etag: res.headers.etag, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('startStaticServer', () => {
  it('listens on loopback, on the port asked for (0 = any free one)', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('serves index.html for a directory and files with their content type', async () => {
    expect(await rawRequest('GET', '/')).toMatchObject({ status: 200, type: 'text/html; charset=utf-8', body: '<!doctype html><title>home</title>' });
    expect(await rawRequest('GET', '/nested/')).toMatchObject({ status: 200, body: 'nested' });
    expect(await rawRequest('GET', '/openapi.yaml')).toMatchObject({ status: 200, type: 'application/yaml; charset=utf-8' });
  });

  it('tags each file and answers 304, without a body, for a copy the browser has', async () => {
    const { etag } = await rawRequest('GET', '/openapi.yaml');
    expect(etag).toMatch(/^W\/"[0-9a-f]+-[0-9a-f]+"$/);
    expect(await rawRequest('GET', '/openapi.yaml', { 'if-none-match': etag! })).toMatchObject({ status: 304, body: '' });
    expect(await rawRequest('GET', '/openapi.yaml', { 'if-none-match': `W/"0-0", ${etag}` })).toMatchObject({ status: 304 });
    expect(await rawRequest('GET', '/openapi.yaml', { 'if-none-match': 'W/"0-0"' })).toMatchObject({ status: 200, body: 'openapi: 3.1.0\n' });
    // Another file, or the same one changed (here its size, as a change within the same millisecond would keep its time), has another tag.
    expect((await rawRequest('GET', '/')).etag).not.toBe(etag);
    await writeFile(path.join(root, 'openapi.yaml'), 'openapi: 3.1.1 # a longer file\n');
    expect(await rawRequest('GET', '/openapi.yaml', { 'if-none-match': etag! })).toMatchObject({ status: 200, body: 'openapi: 3.1.1 # a longer file\n' });
  });

  it('answers HEAD without a body', async () => {
    expect(await rawRequest('HEAD', '/openapi.yaml')).toMatchObject({ status: 200, body: '' });
  });

  it('answers 404 for missing files and never serves files outside the root', async () => {
    expect((await rawRequest('GET', '/missing.json')).status).toBe(404);
    for (const escape of ['/../secret.txt', '/%2e%2e/secret.txt', '/nested/..%2f..%2fsecret.txt', '/%E0%A4%A']) {
      const response = await rawRequest('GET', escape);
      expect(response.status, escape).toBe(404);
      expect(response.body).not.toContain('outside the root');
    }
  });

  it('refuses methods other than GET and HEAD', async () => {
    expect((await rawRequest('POST', '/')).status).toBe(405);
  });
});
