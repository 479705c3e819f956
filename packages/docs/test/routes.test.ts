// src/routes.mjs and the static server's base path, without a browser: the pages written for each
// address the reference links to, 404.html, and how `pnpm docs:serve` serves a site built for a sub-path.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeBasePath, writeRoutes } from '../src/routes.mjs';
import { startStaticServer } from '../src/static-server.mjs';

const PAGE = `<!DOCTYPE html><html><head><title>Example API</title><script src="./redoc.standalone.js"></script></head><body>
<a href="/">Example API</a><a href="/section/where-to-start">Where to start</a><a href="/customers">Customers</a>
<a href="/customers#deep">again</a><a href="openapi.json">spec</a><a href="https://example.com/x">out</a><a href="//cdn.example/y">cdn</a>
</body></html>`;

describe('normalizeBasePath', () => {
  it('gives a path that starts and ends with /', () => {
    expect(normalizeBasePath('/')).toBe('/');
    expect(normalizeBasePath('')).toBe('/');
    expect(normalizeBasePath('repo')).toBe('/repo/');
    expect(normalizeBasePath('/repo')).toBe('/repo/');
    expect(normalizeBasePath('/owner/repo/')).toBe('/owner/repo/');
  });

  it('refuses what is not a plain URL path', () => {
    for (const bad of ['/a/../b/', '/a b/', 'https://example.com/', '/a?b', '/a#b']) expect(() => normalizeBasePath(bad), bad).toThrow('The base path must be a URL path');
  });
});

describe('writeRoutes', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'docs-routes-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('puts the base path in front of every root-relative link, and nowhere else', async () => {
    await writeFile(path.join(dir, 'index.html'), PAGE);
    expect(await writeRoutes({ outDir: dir, basePath: '/repo/' })).toEqual(['/customers', '/section/where-to-start']);
    const html = await readFile(path.join(dir, 'index.html'), 'utf8');
    expect([...html.matchAll(/href="([^"]*)"/g)].map((match) => match[1])).toEqual([
      '/repo/',
      '/repo/section/where-to-start',
      '/repo/customers',
      '/repo/customers#deep',
      'openapi.json',
      'https://example.com/x',
      '//cdn.example/y',
    ]);
    expect(html).toContain('src="./redoc.standalone.js"');
  });

  it('writes a page for each address, which sends the browser to the same route as a hash, without a script', async () => {
    const page = await readFile(path.join(dir, 'section/where-to-start/index.html'), 'utf8');
    expect(page).toContain('<meta http-equiv="refresh" content="0; url=/repo/#/section/where-to-start" />');
    expect(page).toContain('<a href="/repo/#/section/where-to-start">Example API</a>');
    expect(page).not.toContain('<script');
    expect(await readdir(dir)).toEqual(expect.arrayContaining(['404.html', 'customers', 'index.html', 'section']));
  });

  it('writes a 404.html whose one script, allowed by its hash, sends a route under the base path to its hash', async () => {
    const page = await readFile(path.join(dir, '404.html'), 'utf8');
    expect(page).toContain('var base = "/repo/";');
    expect(page).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(page).toContain('<h1>Not found</h1>');
  });

  it("404.html's script sends a path-form address, with or without the base path, to its route, and leaves a file alone", async () => {
    const script = /<script>([\s\S]*?)<\/script>/.exec(await readFile(path.join(dir, '404.html'), 'utf8'))![1]!;
    const visit = (pathname: string) => {
      const replaced: string[] = [];
      runInNewContext(script, { window: { location: { pathname, replace: (url: string) => replaced.push(url) } } });
      return replaced;
    };
    expect(visit('/repo/customers/createcustomer')).toEqual(['/repo/#/customers/createcustomer']);
    expect(visit('/repo/customers/createcustomer/')).toEqual(['/repo/#/customers/createcustomer']);
    expect(visit('/customers/createcustomer')).toEqual(['/repo/#/customers/createcustomer']);
    expect(visit('/repo/')).toEqual([]);
    expect(visit('/repo')).toEqual([]);
    expect(visit('/repo/missing.png')).toEqual([]);
  });

  it('refuses a page with another root-relative address, which would break under a base path', async () => {
    await writeFile(path.join(dir, 'index.html'), '<html><head><title>x</title></head><body><img src="/logo.svg"></body></html>');
    await expect(writeRoutes({ outDir: dir, basePath: '/' })).rejects.toThrow('src="/logo.svg"');
  });
});

describe('startStaticServer with a base path', () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof startStaticServer>>;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'docs-base-'));
    await writeFile(path.join(dir, 'index.html'), PAGE);
    await writeRoutes({ outDir: dir, basePath: '/owner/repo/' });
    server = await startStaticServer({ root: dir, port: 0, basePath: '/owner/repo/' });
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the site at the base path only, as GitHub Pages serves a project site', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/owner\/repo\/$/);
    const origin = new URL(server.url).origin;
    expect((await fetch(server.url)).status).toBe(200);
    expect((await fetch(`${server.url}customers`)).status).toBe(200);
    expect((await fetch(`${server.url}customers/`)).status).toBe(200);
    const withoutSlash = await fetch(`${origin}/owner/repo`, { redirect: 'manual' });
    expect([withoutSlash.status, withoutSlash.headers.get('location')]).toEqual([301, '/owner/repo/']);
    expect((await fetch(`${origin}/index.html`)).status).toBe(404);
  });

  it('answers a missing file with 404.html and status 404', async () => {
    const response = await fetch(`${server.url}customers/createcustomer`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('<h1>Not found</h1>');
  });
});

describe('pnpm docs:serve', () => {
  it('serves a site built for a sub-path with --base, and exits 0 on Ctrl-C without "ELIFECYCLE Command failed"', async () => {
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    // Its own process group, as a terminal's foreground job: Ctrl-C signals the whole group.
    const child = spawn('pnpm', ['docs:serve', '--port', '0', '--base', '/sub/'], { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const exit = once(child, 'exit');
    try {
      while (!/Reportei Connect docs: (\S+)/.test(output)) {
        if (child.exitCode !== null) throw new Error(`pnpm docs:serve ended:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } catch (error) {
      process.kill(-(child.pid as number), 'SIGKILL');
      throw error;
    }
    const url = /Reportei Connect docs: (\S+)/.exec(output)![1]!;
    expect(url).toMatch(/\/sub\/$/);
    expect((await fetch(url)).status).toBe(200);
    process.kill(-(child.pid as number), 'SIGINT');
    const [code, signal] = await exit;
    expect(output).not.toMatch(/ELIFECYCLE|Command failed|ERR_PNPM/);
    expect({ code, signal }).toEqual({ code: 0, signal: null });
  });
});
