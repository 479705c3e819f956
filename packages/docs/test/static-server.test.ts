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
function rawRequest(method: string, requestPath: string): Promise<{ status: number; type: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(server.url), { method, path: requestPath }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }));
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
