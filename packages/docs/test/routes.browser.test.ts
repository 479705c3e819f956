// Every address the site links to opens directly, in Debian's Chromium: at the root (dist/, as
// `pnpm build` writes it) and under a sub-path (built with `--base`, as the Docs workflow builds it for
// GitHub Pages, and served only there, as GitHub Pages serves a project site: files and 404.html).
// Each address is loaded on its own, as a reader who pastes it would, and must show its own heading at
// the top, with no console error, no failed request and no request outside the site. Under the sub-path
// the browser opens one address of each kind (the home, a guide, a tag, an operation): that site is the
// root site file for file but for the base path in its addresses (sub-path-build.test.ts), so the root
// site's addresses stand for the rest.

import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectToChromium, escapeRegExp, newTab, offlineContext, sectionHeading } from './browser.js';
import { readPublishedDocument } from './built-site.js';

/**
 * How many addresses are open at once. One load keeps about two cores busy (Redoc's main thread, V8's
 * background compilers, rasterising): on two cores a second tab at once made each load cost about a
 * third more CPU and the whole no sooner done.
 */
const TABS = Math.max(1, Math.floor(availableParallelism() / 2));

const document = await readPublishedDocument();
const homeHeading = `${document.info.title} (${document.info.version})`;

let browser: Browser;

beforeAll(async () => {
  browser = await connectToChromium();
});

afterAll(async () => {
  await browser?.close();
});

/** The heading a sidebar entry opens: its text, without the method Redoc shows after an operation's summary. */
const headingOf = (linkText: string) => linkText.replace(/\s*(get|put|post|delete|patch|head|options|trace)$/i, '').trim();

/** An address to open, the heading it must show at the top, and where it ends up (a route's page sends the browser on to its hash). */
interface Address {
  url: string;
  heading: string;
  finalUrl?: string;
}

interface AddressTab {
  /** The tab, to use otherwise between addresses. */
  page: Page;
  /** Opens an address in the tab and checks it. */
  open: (address: Address) => Promise<void>;
}

describe.each([
  { where: 'at the root', every: true, ...inject('rootSite') },
  { where: `under the sub-path ${inject('subPathSite').base}`, every: false, ...inject('subPathSite') },
])('the addresses of the site, $where', ({ url: site, base, dir, every }) => {
  let context: BrowserContext;
  let tabs: AddressTab[];
  const problems: string[] = [];

  beforeAll(async () => {
    context = await offlineContext(browser, site, (url) => problems.push(`requested ${url}, outside the site`));
    tabs = await Promise.all(Array.from({ length: TABS }, () => addressTab()));
  }, 180_000);

  afterAll(async () => {
    await context?.close();
  });

  /**
   * A tab that opens addresses one after the other (`open`), each as a reader who pastes it into the
   * address bar would: a new document, never a hash change of the previous one, which about:blank in
   * between makes sure of. Reusing the tab spares Chromium a new renderer process for each address,
   * which costs about as much as rendering the page. What goes wrong while an address is open (a console
   * error, a failed request, a 4xx or 5xx) is a problem; what leaving it cancels (the favicon, which
   * Chromium asks for late) is not, nor what happens while the tab is used otherwise (`page`).
   */
  async function addressTab(): Promise<AddressTab> {
    const page = await newTab(context);
    let current: { url: string; inFlight: Set<Request> } | undefined;
    page.on('console', (message) => {
      if (current && message.type() === 'error') problems.push(`${current.url}: console error: ${message.text()}`);
    });
    page.on('pageerror', (error) => {
      if (current) problems.push(`${current.url}: page error: ${error.message}`);
    });
    page.on('request', (request) => current?.inFlight.add(request));
    page.on('requestfinished', (request) => current?.inFlight.delete(request));
    page.on('requestfailed', (request) => {
      if (!current) return;
      current.inFlight.delete(request);
      problems.push(`${current.url}: request failed: ${request.url()} (${request.failure()?.errorText})`);
    });
    page.on('response', (response) => {
      if (current && response.status() >= 400) problems.push(`${current.url}: ${response.status()} for ${response.url()}`);
    });

    async function open({ url, heading, finalUrl = url }: Address): Promise<void> {
      await page.goto('about:blank');
      current = { url, inFlight: new Set() };
      try {
        // Playwright answers null for a navigation within the same document.
        expect(await page.goto(url, { waitUntil: 'load' }), `${url}: a page load`).not.toBeNull();
        await page.waitForURL(finalUrl, { waitUntil: 'load' });
        await sectionHeading(page, heading).first().waitFor();
        // Redoc scrolls the route's section to the top once it has rendered: checked in the page every
        // 50 ms (the first h1 or h2 reading the heading, as sectionHeading finds it) rather than asked
        // for from here, a round trip each time; not on every animation frame, which would make the
        // browser draw frames meanwhile.
        const atTheTop = (text: string) => {
          const found = [...document.querySelectorAll('h1, h2')].find((element) => element.textContent?.replace(/\s+/g, ' ').trim() === text);
          const y = found?.getBoundingClientRect().y ?? -1;
          return y >= 0 && y < 200;
        };
        await page.waitForFunction(atTheTop, heading, { polling: 50, timeout: 60_000 }).catch((error: Error) => {
          throw new Error(`${url}: "${heading}" is not at the top (${error.message})`);
        });
        // Its requests (the favicon and the images of the page, asked for once it has rendered) have answered.
        const { inFlight } = current;
        await expect.poll(() => [...inFlight].map((request) => request.url()), { timeout: 60_000, message: `${url}: requests still open` }).toEqual([]);
      } finally {
        current = undefined;
      }
    }

    return { page, open };
  }

  /** Opens each address, in the next tab free; the first failure stops the rest. */
  async function openEachDirectly(addresses: Address[]): Promise<void> {
    const queue = [...addresses];
    const results = await Promise.allSettled(
      tabs.map(async (tab) => {
        try {
          for (let address = queue.shift(); address; address = queue.shift()) await tab.open(address);
        } catch (error) {
          queue.length = 0;
          throw error;
        }
      }),
    );
    const failure = results.find((result) => result.status === 'rejected');
    if (failure) throw failure.reason;
  }

  it('links only to addresses inside the site, and each of its files answers 200', async () => {
    const html = await readFile(path.join(dir, 'index.html'), 'utf8');
    const hrefs = [...html.matchAll(/\bhref="([^"]*)"/g)].map((match) => match[1]!);
    const internal = hrefs.filter((href) => !/^https?:\/\//.test(href));
    expect(internal.length).toBeGreaterThan(10);
    for (const href of internal) {
      if (href.startsWith('/')) expect(href.startsWith(base), `${href} is outside ${base}`).toBe(true);
    }
    const files = [...new Set(internal.filter((href) => /\.[a-z]+$/.test(href)).map((href) => href.replace(/^\.\//, '')))];
    expect(files.sort()).toEqual(['favicon.svg', 'openapi.json', 'openapi.yaml', 'postman.json', 'redoc.standalone.js']);
    for (const file of files) {
      const response = await context.request.get(new URL(file, site).href);
      expect(response.status(), file).toBe(200);
    }
    // Nothing is served outside the site, so a page that loaded something from there would have failed.
    if (base !== '/') expect((await context.request.get(new URL('/index.html', site).href)).status()).toBe(404);
  });

  /** All of `addresses` at the root; under the sub-path, the first of each kind. */
  const ofEachKind = <T>(addresses: T[], kindOf: (address: T) => string): T[] =>
    every ? addresses : addresses.filter((address, index) => addresses.findIndex((other) => kindOf(other) === kindOf(address)) === index);

  it(`opens ${every ? 'each page' : 'a page of each kind'} the reference links to (the overview's sections, the sidebar's guides and tags) directly, on its own heading`, async () => {
    const html = await readFile(path.join(dir, 'index.html'), 'utf8');
    // The sidebar as pre-rendered: <a href="<base>route">Text</a>, before any script runs.
    const links = [...html.matchAll(new RegExp(`<a[^>]*\\bhref="${escapeRegExp(base)}([^"#?]*)"[^>]*>([\\s\\S]*?)</a>`, 'g'))].map((match) => ({
      route: match[1]!.replace(/\/$/, ''),
      text: match[2]!.replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').replace(/&#x27;|&#39;/g, "'").trim(),
    }));
    const routes = new Map<string, string>();
    for (const { route, text } of links) if (text && !routes.has(route)) routes.set(route, route === '' ? homeHeading : headingOf(text));
    expect([...routes.keys()]).toContain('customers');
    expect(routes.size).toBeGreaterThan(10);
    const guides = new Set(document.tags.filter((tag: any) => tag['x-traitTag']).map((tag: any) => tag.name));
    const kindOf = ([route, heading]: [string, string]) =>
      route === '' ? 'home' : route.startsWith('section/') ? 'section of the overview' : guides.has(heading) ? 'guide' : 'tag';
    const chosen = ofEachKind([...routes], kindOf);
    if (!every) expect(chosen.map(kindOf).sort()).toEqual(['guide', 'home', 'section of the overview', 'tag']);
    await openEachDirectly(chosen.map(([route, heading]) => ({ url: `${site}${route}`, heading, finalUrl: route === '' ? site : `${site}#/${route}` })));
    expect(problems).toEqual([]);
  }, 1_200_000);

  it(`opens ${every ? 'each operation' : 'an operation'} directly at the address Redoc gives it`, async () => {
    const { page } = tabs[0]!;
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
    await openEachDirectly(ofEachKind([...operations], () => 'operation').map(([hash, heading]) => ({ url: `${site}${hash}`, heading })));
    expect(problems).toEqual([]);
  }, 1_200_000);

  it('sends an address under the site that has no page (a copied deep link) to its route, through 404.html', async () => {
    const response = await context.request.get(`${site}customers/createcustomer`);
    expect(response.status()).toBe(404); // 404.html, with GitHub Pages' status
    expect(await response.text()).toContain('<h1>Not found</h1>');
    const { page } = tabs[0]!;
    await page.goto(`${site}customers/createcustomer`, { waitUntil: 'load' });
    await page.waitForURL(`${site}#/customers/createcustomer`);
    await sectionHeading(page, 'Create a customer').first().waitFor();
  }, 300_000);
});
