// Every address the site links to opens directly, in Debian's Chromium: at the root (dist/, as
// `pnpm build` writes it) and under a sub-path (built with `--base`, as the Docs workflow builds it for
// GitHub Pages, and served only there, as GitHub Pages serves a project site: files and 404.html).
// Each address is loaded on its own, as a reader who pastes it would, and must show its own heading at
// the top, with no console error, no failed request and no request outside the site.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStaticServer } from '../src/static-server.mjs';
import { distDir, readPublishedDocument } from './built-site.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
/** Where GitHub Pages serves a project site: https://<owner>.github.io/<repo>/. */
const SUB_PATH = '/reportei/connect-sdk/';
const packageDir = fileURLToPath(new URL('..', import.meta.url));

const document = await readPublishedDocument();
const homeHeading = `${document.info.title} (${document.info.version})`;

let browser: Browser;
let subPathDir: string;

/** Runs `node scripts/build.mjs ...args`, the docs build, to its end. */
function build(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/build.mjs', ...args], { cwd: packageDir, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`scripts/build.mjs ${args.join(' ')} failed (${code}):\n${output}`))));
  });
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: install it with \`apt-get install -y chromium\`, or point CHROMIUM_PATH at one.`);
  }
  subPathDir = path.join(await mkdtemp(path.join(tmpdir(), 'docs-sub-path-')), 'site');
  await build(['--base', SUB_PATH, '--out', subPathDir]);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, timeout: 120_000 });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  if (subPathDir) await rm(path.dirname(subPathDir), { recursive: true, force: true });
});

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The heading a sidebar entry opens: its text, without the method Redoc shows after an operation's summary. */
const headingOf = (linkText: string) => linkText.replace(/\s*(get|put|post|delete|patch|head|options|trace)$/i, '').trim();

describe.each([
  { where: 'at the root', dir: () => distDir, base: '/' },
  { where: `under the sub-path ${SUB_PATH}`, dir: () => subPathDir, base: SUB_PATH },
])('every address of the site, $where', ({ dir, base }) => {
  let server: Awaited<ReturnType<typeof startStaticServer>>;
  let context: BrowserContext;
  let page: Page;
  let site: string;
  const problems: string[] = [];

  beforeAll(async () => {
    server = await startStaticServer({ root: dir(), port: 0, basePath: base });
    site = server.url;
    context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (url.startsWith(site)) return route.continue();
      problems.push(`requested ${url}, outside the site`);
      return route.abort('blockedbyclient');
    });
    // A page to look around with (the operations' addresses); each address under test gets its own.
    page = await context.newPage();
    page.setDefaultTimeout(60_000);
    page.setDefaultNavigationTimeout(120_000);
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await server?.close();
  });

  /**
   * Opens `url` in a page of its own, as a reader who pastes it would, and waits for `heading` at the
   * top. What goes wrong while it is open (a console error, a failed request, a 4xx or 5xx) is a
   * problem; what its closing cancels (the favicon, which Chromium asks for late) is not.
   */
  async function openDirectly(url: string, heading: string, finalUrl = url): Promise<void> {
    const tab = await context.newPage();
    tab.setDefaultTimeout(60_000);
    tab.setDefaultNavigationTimeout(120_000);
    tab.on('console', (message) => {
      if (message.type() === 'error') problems.push(`${url}: console error: ${message.text()}`);
    });
    tab.on('pageerror', (error) => problems.push(`${url}: page error: ${error.message}`));
    tab.on('requestfailed', (request) => problems.push(`${url}: request failed: ${request.url()} (${request.failure()?.errorText})`));
    tab.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${url}: ${response.status()} for ${response.url()}`);
    });
    try {
      await tab.goto(url, { waitUntil: 'load' });
      await tab.waitForURL(finalUrl, { waitUntil: 'load' });
      const target = tab.locator('h1, h2').filter({ hasText: new RegExp(`^${escapeRegExp(heading)}$`) }).first();
      await target.waitFor();
      // Redoc scrolls the route's section to the top once it has rendered.
      await expect.poll(async () => (await target.boundingBox())?.y ?? -1, { timeout: 60_000, message: `${url}: "${heading}" at the top` }).toBeGreaterThanOrEqual(0);
      await expect.poll(async () => (await target.boundingBox())?.y ?? 10_000, { timeout: 60_000, message: `${url}: "${heading}" at the top` }).toBeLessThan(200);
      await tab.waitForLoadState('networkidle');
    } finally {
      tab.removeAllListeners();
      await tab.close();
    }
  }

  it('links only to addresses inside the site, and each of its files answers 200', async () => {
    const html = await readFile(path.join(dir(), 'index.html'), 'utf8');
    const hrefs = [...html.matchAll(/\bhref="([^"]*)"/g)].map((match) => match[1]!);
    const internal = hrefs.filter((href) => !/^https?:\/\//.test(href));
    expect(internal.length).toBeGreaterThan(10);
    for (const href of internal) {
      if (href.startsWith('/')) expect(href.startsWith(base), `${href} is outside ${base}`).toBe(true);
    }
    const files = [...new Set(internal.filter((href) => /\.[a-z]+$/.test(href)).map((href) => href.replace(/^\.\//, '')))];
    expect(files.sort()).toEqual(['favicon.svg', 'openapi.json', 'openapi.yaml', 'postman.json', 'redoc.standalone.js']);
    for (const file of files) {
      const response = await page.request.get(new URL(file, site).href);
      expect(response.status(), file).toBe(200);
    }
    // Nothing is served outside the site, so a page that loaded something from there would have failed.
    if (base !== '/') expect((await page.request.get(new URL('/index.html', site).href)).status()).toBe(404);
  });

  it('opens each page the reference links to (the sidebar\'s guides and tags) directly, on its own heading', async () => {
    const html = await readFile(path.join(dir(), 'index.html'), 'utf8');
    // The sidebar as pre-rendered: <a href="<base>route">Text</a>, before any script runs.
    const links = [...html.matchAll(new RegExp(`<a[^>]*\\bhref="${escapeRegExp(base)}([^"#?]*)"[^>]*>([\\s\\S]*?)</a>`, 'g'))].map((match) => ({
      route: match[1]!.replace(/\/$/, ''),
      text: match[2]!.replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').replace(/&#x27;|&#39;/g, "'").trim(),
    }));
    const routes = new Map<string, string>();
    for (const { route, text } of links) if (text && !routes.has(route)) routes.set(route, route === '' ? homeHeading : headingOf(text));
    expect([...routes.keys()]).toContain('customers');
    expect(routes.size).toBeGreaterThan(10);
    for (const [route, heading] of routes) {
      const url = `${site}${route}`;
      await openDirectly(url, heading, route === '' ? url : `${site}#/${route}`);
    }
    expect(problems).toEqual([]);
  }, 1_200_000);

  it('opens each operation directly at the address Redoc gives it', async () => {
    await page.goto(site, { waitUntil: 'load' });
    const tags: string[] = document.tags.filter((tag: any) => !tag['x-traitTag']).map((tag: any) => tag.name);
    const operations = new Map<string, string>();
    for (const tag of tags) {
      await page.getByRole('link', { name: tag, exact: true }).first().click();
      await page.waitForURL(/#\//);
      const entries = await page.locator('ul a[href^="#/"]').evaluateAll((links) =>
        links.map((link) => [link.getAttribute('href') ?? '', link.textContent ?? ''] as const),
      );
      for (const [href, text] of entries) if (href.split('/').length === 3 && !operations.has(href)) operations.set(href, headingOf(text));
    }
    const methods = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
    expect(operations.size).toBe(Object.values(document.paths).flatMap((item: any) => Object.keys(item).filter((key) => methods.has(key))).length);
    for (const [hash, heading] of operations) await openDirectly(`${site}${hash}`, heading);
    expect(problems).toEqual([]);
  }, 1_200_000);

  it('sends an address under the site that has no page (a copied deep link) to its route, through 404.html', async () => {
    const response = await page.request.get(`${site}customers/createcustomer`);
    expect(response.status()).toBe(404); // 404.html, with GitHub Pages' status
    expect(await response.text()).toContain('<h1>Not found</h1>');
    const tab = await context.newPage();
    try {
      await tab.goto(`${site}customers/createcustomer`, { waitUntil: 'load' });
      await tab.waitForURL(`${site}#/customers/createcustomer`);
      await tab.locator('h1, h2').filter({ hasText: /^Create a customer$/ }).first().waitFor({ timeout: 60_000 });
    } finally {
      await tab.close();
    }
  }, 300_000);
});
