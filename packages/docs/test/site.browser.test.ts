// Opens the built site in Debian's Chromium, offline: every request that would leave the site's own
// origin is recorded and aborted. The tests share one page and run in order, like a reader would. Each
// operation's TypeScript sample, once TypeScript is chosen, is checked on the way to the operation's
// address (routes.browser.test.ts), which renders each operation once more anyway.

import { mkdir } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectToChromium, escapeRegExp, newTab, offlineContext, sectionHeading } from './browser.js';
import { operationsOf, readPublishedDocument, specOperationIds, testOutputDir, type OperationSummary } from './built-site.js';

const document = await readPublishedDocument();
const operations = operationsOf(document);
const site = inject('rootSite').url;

let browser: Browser;
let page: Page;
const requestedUrls: string[] = [];
const blockedUrls: string[] = [];
const consoleErrors: string[] = [];

beforeAll(async () => {
  await mkdir(testOutputDir, { recursive: true });
  browser = await connectToChromium();
  const context = await offlineContext(browser, site, (url) => blockedUrls.push(url));
  context.on('request', (request) => requestedUrls.push(request.url()));
  page = await newTab(context);
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  await page.goto(site, { waitUntil: 'load' });
});

afterAll(async () => {
  await browser?.close();
});

/** The section heading of an operation, a guide or a tag. */
const heading = (text: string) => sectionHeading(page, text);

/** Opens an operation from the sidebar, expanding its tag first when needed. */
async function openFromSidebar({ summary, method, tag }: OperationSummary) {
  const entry = page.getByRole('link', { name: new RegExp(`^${escapeRegExp(summary)}\\s*${method}$`, 'i') });
  if (!(await entry.isVisible())) await page.getByRole('link', { name: tag, exact: true }).first().click();
  await entry.click();
  await heading(summary).waitFor();
}

/** A code block on the page containing `text`. */
const codeBlock = (text: string) => page.locator('pre code').filter({ hasText: text }).first();

describe('the docs site, opened offline in Chromium', () => {
  it('renders the overview with the guides and the API reference in the sidebar', async () => {
    await heading(`${document.info.title} (${document.info.version})`).waitFor();
    for (const tag of document.tags) {
      expect(await page.getByRole('link', { name: tag.name, exact: true }).first().isVisible(), tag.name).toBe(true);
    }
    await page.screenshot({ path: `${testOutputDir}overview.png` });
  });

  it(`shows each of the ${operations.length} operations with its summary and its cURL sample`, async () => {
    expect(operations.map(({ operationId }) => operationId)).toEqual(specOperationIds());
    for (const operation of operations) {
      await openFromSidebar(operation);
      const curl = operation.operation['x-codeSamples'][0].source as string;
      await codeBlock(curl.split('\n')[0]!).waitFor();
    }
  });

  it('expands a nested schema on demand', async () => {
    await openFromSidebar(operations.find((operation) => operation.operationId === 'getMerchantSettings')!);
    // Redoc breaks long property paths with zero-width spaces.
    const nestedProperty = page.getByText(/^merchant\.\u200b?available_integrations\[\]\.\u200b?slug$/);
    expect(await nestedProperty.count()).toBe(0);
    await page.getByRole('button', { name: /Show 2 array properties/ }).click();
    await nestedProperty.waitFor();
  });

  it('finds an operation with the search box and opens it', async () => {
    const target = operations.find((operation) => operation.operationId === 'updateCustomerPaymentStatus')!;
    await page.keyboard.press('Control+k');
    await page.getByPlaceholder('Search docs...').fill('payment status');
    const result = page.getByRole('link', { name: new RegExp(`${escapeRegExp(target.path.split('{uuid}')[1]!)}.*${escapeRegExp(target.summary)}`) });
    await result.click();
    await heading(target.summary).waitFor();
    expect(new URL(page.url()).hash.toLowerCase()).toContain(target.operationId.toLowerCase());
  });

  it('links to the spec and the Postman collection, and each link answers 200', async () => {
    const hrefs = await page.locator('a[href]').evaluateAll((links) =>
      links.map((link) => (link as HTMLAnchorElement).href).filter((href) => /\.(json|ya?ml)$/.test(href)),
    );
    const files = [...new Set(hrefs)].map((href) => new URL(href).pathname).sort();
    expect(files).toEqual(['/openapi.json', '/openapi.yaml', '/postman.json']);
    for (const href of new Set(hrefs)) {
      const response = await page.request.get(href);
      expect(response.status(), href).toBe(200);
      expect((await response.body()).length, href).toBeGreaterThan(1000);
    }
  });

  it('made no request outside its own origin', () => {
    expect(blockedUrls).toEqual([]);
    expect(requestedUrls.length).toBeGreaterThan(1);
    const siteOrigin = new URL(site).origin;
    for (const url of requestedUrls) expect(new URL(url).origin, url).toBe(siteOrigin);
  });

  it('logged no error to the console', () => {
    expect(consoleErrors).toEqual([]);
  });
});
