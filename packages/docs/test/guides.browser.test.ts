// The guides as a reader meets them in Chromium: the search box finds the client's guide by the words a
// reader types, and a guide's long code lines scroll inside the column instead of being cut off.

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { connectToChromium, escapeRegExp, newTab, offlineContext, sectionHeading } from './browser.js';

const site = inject('rootSite').url;
let browser: Browser;
let page: Page;
const blocked: string[] = [];

beforeAll(async () => {
  browser = await connectToChromium();
  page = await newTab(await offlineContext(browser, site, (url) => blocked.push(url)));
  await page.goto(site, { waitUntil: 'load' });
  // Redoc has hydrated once its sidebar lists the guide.
  await page.getByRole('link', { name: 'Using the TypeScript client', exact: true }).first().waitFor();
});

afterAll(async () => {
  await browser?.close();
});

describe('the guides', () => {
  it.each([
    ['authentication', 'Authentication and environment variables'],
    ['timeout', 'Timeouts and cancellation'],
    ['retry', 'Retries'],
    ['error', 'Errors and their classes'],
  ])('search finds "%s" in the TypeScript client guide, under "%s"', async (word, section) => {
    const searchBox = page.getByPlaceholder('Search docs...');
    // A result's title is the section's heading; the sidebar has links of the same name, under the dialog.
    const result = page.getByTestId('search-dialog').getByText(new RegExp(`^${escapeRegExp(section)}$`)).first();
    // Redoc builds its search index in the background once the dialog opens: on a busy machine a query
    // typed early runs against part of it and is not run again, so the query is typed again until the
    // result shows (each attempt's 10 s only decides when to try again). The dialog may also close
    // meanwhile (on a busy machine the previous result's navigation can end after it opened): each
    // attempt opens it again if it is closed.
    await vi.waitFor(
      async () => {
        if (!(await searchBox.isVisible())) await page.keyboard.press('Control+k');
        await searchBox.fill('', { timeout: 10_000 });
        await searchBox.fill(word, { timeout: 10_000 });
        await result.waitFor({ timeout: 10_000 });
      },
      { timeout: 120_000, interval: 100 },
    );
    await result.click();
    await sectionHeading(page, section).first().waitFor();
    // Ctrl+K toggles the dialog: the next search must find it closed, which a busy machine may take a while to do.
    await searchBox.waitFor({ state: 'hidden' });
  });

  it('show local webhook testing with the sandbox, its code scrolling inside a readable column', async () => {
    await page.goto(`${site}#tag/Metrics-webhook`, { waitUntil: 'load' });
    await page.getByRole('heading', { name: 'Testing webhooks locally, with the sandbox' }).waitFor();
    const viewport = page.viewportSize()!;
    const blocks = await page.locator('pre').evaluateAll((pres) =>
      pres
        .filter((pre) => pre.textContent?.includes('parseMetricsWebhook'))
        .map((pre) => {
          const { left, right } = pre.getBoundingClientRect();
          return { left, right, clientWidth: pre.clientWidth, scrollWidth: pre.scrollWidth, overflowX: getComputedStyle(pre).overflowX };
        }),
    );
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    for (const block of blocks) {
      // A readable width, on the screen, and what does not fit can be scrolled to.
      expect(block.clientWidth).toBeGreaterThanOrEqual(400);
      expect(block.left).toBeGreaterThanOrEqual(0);
      expect(block.right).toBeLessThanOrEqual(viewport.width);
      if (block.scrollWidth > block.clientWidth) expect(['auto', 'scroll']).toContain(block.overflowX);
    }
    expect(blocked).toEqual([]);
  });
});
