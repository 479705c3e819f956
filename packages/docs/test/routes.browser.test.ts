// Every address the site links to opens, in Debian's Chromium: at the root (dist/, as `pnpm build`
// writes it) and under a sub-path (built with `--base`, as the Docs workflow builds it for GitHub Pages,
// and served only there, as GitHub Pages serves a project site: files and 404.html). An address must show
// its own heading at the top, with no console error, no failed request and no request outside the site.
//
// A reader who pastes an address into the browser gets a new document: its route page (or the hash)
// sends the browser to the reference, Redoc renders and scrolls to the section the hash names. Of that,
// only two things depend on the address: the route page it answers, and the section Redoc finds for the
// hash. At the root each address is checked for both: the route page over HTTP, and the section by going
// to the address in an open page, which Redoc's router reads from the address as it does on a first load.
// The first load itself, the same code for every address of a kind, is checked once per kind (the home,
// a section of the overview, a guide, a tag, an operation) under the sub-path, as GitHub Pages serves
// the site: that site is the root site file for file but for the base path in its addresses
// (sub-path-build.test.ts), so its loads stand for the root's. Each such load costs about 2.5
// CPU-seconds, five times a move to an operation within the page. The 404 page, whose script is the one file that differs in more
// than its addresses, is opened at both. The operations' addresses are read from the sidebar as the walk
// shows each tag, and each operation, visited with TypeScript chosen, must show its TypeScript sample:
// site.browser.test.ts clicks each operation's sidebar entry with cURL, the default.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectToChromium, escapeRegExp, newTab, offlineContext, sectionHeading } from './browser.js';
import { operationsOf, readPublishedDocument, testOutputDir } from './built-site.js';

const document = await readPublishedDocument();
const homeHeading = `${document.info.title} (${document.info.version})`;
const guides = new Set(document.tags.filter((tag: any) => tag['x-traitTag']).map((tag: any) => tag.name));
const publishedOperations = operationsOf(document);
/** Each operation's operationId by its heading (its summary), which its TypeScript sample calls. */
const operationIdOf = new Map(publishedOperations.map((operation) => [operation.summary, operation.operationId]));

let browser: Browser;

beforeAll(async () => {
  browser = await connectToChromium();
});

afterAll(async () => {
  await browser?.close();
});

/** The heading a sidebar entry opens: its text, without the method Redoc shows after an operation's summary. */
const headingOf = (linkText: string) => linkText.replace(/\s*(get|put|post|delete|patch|head|options|trace)$/i, '').trim();

/** A page of the site's sidebar: its route (`customers`, `section/Authentication`, '' for the home) and heading. */
interface Route {
  route: string;
  heading: string;
  kind: 'home' | 'section of the overview' | 'guide' | 'tag';
}

/** The routes of the sidebar as pre-rendered in index.html, `<a href="<base>route">Text</a>`, before any script runs. */
async function linkedRoutes(dir: string, base: string): Promise<Route[]> {
  const html = await readFile(path.join(dir, 'index.html'), 'utf8');
  const routes = new Map<string, Route>();
  for (const match of html.matchAll(new RegExp(`<a[^>]*\\bhref="${escapeRegExp(base)}([^"#?]*)"[^>]*>([\\s\\S]*?)</a>`, 'g'))) {
    const route = match[1]!.replace(/\/$/, '');
    const text = match[2]!.replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').replace(/&#x27;|&#39;/g, "'").trim();
    if (!text || routes.has(route)) continue;
    const heading = route === '' ? homeHeading : headingOf(text);
    const kind = route === '' ? 'home' : route.startsWith('section/') ? 'section of the overview' : guides.has(heading) ? 'guide' : 'tag';
    routes.set(route, { route, heading, kind });
  }
  return [...routes.values()];
}

/** The first of each kind, in order. */
const firstOfEachKind = <T extends { kind: string }>(items: T[]): T[] => items.filter((item, index) => items.findIndex((other) => other.kind === item.kind) === index);

/** An address, the heading it must show at the top, and where it ends up (a route's page sends the browser on to its hash). */
interface Address {
  url: string;
  heading: string;
  finalUrl?: string;
  /** Text a request sample of the page must show, once the page is at its heading. */
  sample?: string;
}

/** A tab of the site whose problems are those of the address it is at. */
interface AddressTab {
  /** The tab, to use otherwise between addresses. */
  page: Page;
  /** Opens an address as a reader who pastes it into the address bar: a new document. */
  open: (address: Address) => Promise<void>;
  /** Goes to an address of the reference from the page of it that is open: a move within the document. */
  follow: (address: Address) => Promise<void>;
}

describe.each([
  { where: 'at the root', eachAddress: true, ...inject('rootSite') },
  { where: `under the sub-path ${inject('subPathSite').base}`, eachAddress: false, ...inject('subPathSite') },
])('the addresses of the site, $where', ({ url: site, base, dir, eachAddress }) => {
  let context: BrowserContext;
  let tab: AddressTab;
  const problems: string[] = [];

  beforeAll(async () => {
    context = await offlineContext(browser, site, (url) => problems.push(`requested ${url}, outside the site`));
    tab = await addressTab();
  }, 180_000);

  afterAll(async () => {
    await context?.close();
  });

  /**
   * The tab, one for the describe: reusing it spares Chromium a new renderer process for each address,
   * which costs about as much as rendering the page. What goes wrong while an address is open or followed
   * (a console error, a failed request, a 4xx or 5xx) is a problem; what leaving it cancels (the favicon,
   * which Chromium asks for late) is not, nor what happens while the tab is used otherwise (`page`).
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

    /**
     * Runs `go` as the visit of `url`, then waits for `heading` at the top, for the `sample` if one is
     * asked for, and for the requests of the page to answer.
     */
    async function visit({ url, heading, sample }: Address, go: () => Promise<void>): Promise<void> {
      current = { url, inFlight: new Set() };
      try {
        await go();
        await sectionHeading(page, heading).first().waitFor();
        if (sample) await page.locator('pre code').filter({ hasText: sample }).first().waitFor();
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

    const open = async (address: Address) => {
      const { url, finalUrl = url } = address;
      // about:blank in between makes it a new document, never a hash change of the previous one.
      await page.goto('about:blank');
      await visit(address, async () => {
        // Playwright answers null for a navigation within the same document.
        expect(await page.goto(url, { waitUntil: 'load' }), `${url}: a page load`).not.toBeNull();
        await page.waitForURL(finalUrl, { waitUntil: 'load' });
      });
    };

    const follow = async (address: Address) => {
      const { url } = address;
      expect(new URL(page.url()).pathname, `${url}: follow from a page of the site`).toBe(new URL(site).pathname);
      await visit(address, async () => {
        expect(await page.goto(url), `${url}: a move within the page`).toBeNull();
      });
    };

    return { page, open, follow };
  }

  /** Visits each address in turn with `visit` (the tab's open or follow); then no problem may have been seen. */
  async function visitEach(addresses: Address[], visit: (address: Address) => Promise<void>): Promise<void> {
    for (const address of addresses) await visit(address);
    expect(problems).toEqual([]);
  }

  /** The address of a route, and where its page sends the browser. */
  const routeAddress = ({ route, heading }: Route): Address => ({ url: `${site}${route}`, heading, finalUrl: route === '' ? site : `${site}#/${route}` });

  /**
   * The operations the sidebar lists under the tag open in the tab, added to `operations` as their
   * addresses (`#/tag/operation`) and headings: the sidebar opens a tag's entries once the tag's page is
   * shown, so a walk over the tags reads them all without a load or a click of its own.
   */
  async function readOperationEntries(operations: Map<string, Address>): Promise<void> {
    const entries = await tab.page.locator('ul a[href^="#/"]').evaluateAll((links) =>
      links.map((link) => [link.getAttribute('href') ?? '', link.textContent ?? ''] as const),
    );
    for (const [hash, text] of entries) {
      if (hash.split('/').length === 3 && !operations.has(hash)) operations.set(hash, { url: `${site}${hash}`, heading: headingOf(text) });
    }
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

  if (eachAddress) {
    it("answers each page's address the reference links to with a page that sends the browser to its route", async () => {
      const routes = await linkedRoutes(dir, base);
      expect(routes.map((route) => route.route)).toContain('customers');
      expect(routes.length).toBeGreaterThan(10);
      for (const { route } of routes) {
        if (route === '') continue;
        const response = await context.request.get(`${site}${route}`);
        expect(response.status(), route).toBe(200);
        expect(await response.text(), route).toContain(`<meta http-equiv="refresh" content="0; url=${base}#/${route}" />`);
      }
    });

    it('brings each page the reference links to, and each operation with its TypeScript sample once TypeScript is chosen, to the top on its own heading at its address', async () => {
      const [home, ...routes] = await linkedRoutes(dir, base);
      expect(home?.kind).toBe('home');
      // The walk starts at the home, opened as a reader does; every other page is then a move.
      await tab.open(routeAddress(home!));
      const operations = new Map<string, Address>();
      for (const route of routes) {
        await tab.follow({ url: `${site}#/${route.route}`, heading: route.heading });
        if (route.kind === 'tag') await readOperationEntries(operations);
      }
      expect(operations.size).toBe(publishedOperations.length);
      // The reader picks TypeScript on the first operation; Redoc then shows it on every operation.
      const [first, ...others] = [...operations.values()];
      await tab.follow(first!);
      await tab.page.getByRole('button', { name: 'cURL', exact: true }).first().click();
      await tab.page.getByRole('menuitem', { name: 'TypeScript', exact: true }).click();
      const withTypeScript = (address: Address): Address => ({ ...address, sample: `.${operationIdOf.get(address.heading)}(` });
      await visitEach([first!, ...others].map(withTypeScript), tab.follow);
      await tab.page.screenshot({ path: `${testOutputDir}operation-typescript.png` });
    }, 600_000);
  } else {
    it('opens a page of each kind the reference links to (the home, a section of the overview, a guide, a tag) and an operation directly, on its own heading', async () => {
      const routes = await linkedRoutes(dir, base);
      expect(routes.map((route) => route.route)).toContain('customers');
      expect(routes.length).toBeGreaterThan(10);
      const chosen = firstOfEachKind(routes);
      expect(chosen.map((route) => route.kind).sort()).toEqual(['guide', 'home', 'section of the overview', 'tag']);
      const operations = new Map<string, Address>();
      for (const route of chosen) {
        await tab.open(routeAddress(route));
        if (route.kind === 'tag') await readOperationEntries(operations);
      }
      // The first operation of the tag, at the address Redoc gives it.
      const [operation] = operations.values();
      expect(operation).toBeDefined();
      await visitEach([operation!], tab.open);
    }, 600_000);
  }

  it('sends an address under the site that has no page (a copied deep link) to its route, through 404.html', async () => {
    const response = await context.request.get(`${site}customers/createcustomer`);
    expect(response.status()).toBe(404); // 404.html, with GitHub Pages' status
    expect(await response.text()).toContain('<h1>Not found</h1>');
    const { page } = tab;
    await page.goto(`${site}customers/createcustomer`, { waitUntil: 'load' });
    await page.waitForURL(`${site}#/customers/createcustomer`);
    await sectionHeading(page, 'Create a customer').first().waitFor();
  }, 300_000);
});
