// What the browser tests share: the run's Chromium (launched by test/browser-setup.ts), a context that
// keeps the reader offline, tabs with limits fit for a busy machine, and the site's headings.

import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { inject } from 'vitest';

/** Connects to the Chromium of the run; closing the connection closes this file's contexts only. */
export function connectToChromium(): Promise<Browser> {
  return chromium.connect(inject('chromiumEndpoint'), { timeout: 120_000 });
}

/**
 * A context for reading the site at `site` offline: a request outside it (another origin, or, under a
 * sub-path, another path) is reported to `outside`. It fails as it would for a reader without a
 * network: the run's Chromium resolves no host but 127.0.0.1 (test/browser-setup.ts), and the site's
 * server serves nothing outside its base path. The requests are watched, not intercepted: intercepting
 * them (Playwright's `route`) turns the browser's cache off, and every page then fetched and compiled
 * Redoc's 2 MB script again, a fifth of the CPU of each load.
 */
export async function offlineContext(browser: Browser, site: string, outside: (url: string) => void): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  context.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(site)) outside(url);
  });
  return context;
}

/**
 * A new tab. Playwright gives up after 30 s by default, which Chromium rendering Redoc can take when
 * other suites hold both cores. These limits only turn a hang into a failure.
 */
export async function newTab(context: BrowserContext): Promise<Page> {
  const tab = await context.newPage();
  tab.setDefaultTimeout(60_000);
  tab.setDefaultNavigationTimeout(120_000);
  return tab;
}

export const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The section headings (h1, h2) of the page reading `text`, all of it: an operation's, a guide's, a tag's. */
export const sectionHeading = (page: Page, text: string): Locator => page.locator('h1, h2').filter({ hasText: new RegExp(`^${escapeRegExp(text)}$`) });
