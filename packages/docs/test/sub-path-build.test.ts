// The site built for a sub-path (`--base`, as the Docs workflow builds it for GitHub Pages) is the root
// site with the base path in front of each root-relative address, file for file. With this, visiting
// every address of the root site in the browser (routes.browser.test.ts) covers every address of the
// sub-path site too, and the sub-path site's first loads, one address of each kind, cover the root
// site's; the 404 page, whose script is the one file that differs in more than its addresses, is
// opened at both.

import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';

const root = inject('rootSite');
const subPath = inject('subPathSite');

/** Every file of a built site, as paths relative to it, sorted. */
async function filesOf(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

/** A root site's file as the sub-path build should write it: `href="/…"` and `url=/…` under the base path. */
const rebased = (text: string, base: string) => text.replace(/(href="|url=)\/(?!\/)/g, `$1${base}`);

describe(`the site built for the sub-path ${subPath.base}`, () => {
  it('has the files of the root site, each the same but for the base path in front of its root-relative addresses', async () => {
    const files = await filesOf(root.dir);
    expect(files.length).toBeGreaterThan(10);
    expect(await filesOf(subPath.dir)).toEqual(files);
    for (const file of files.filter((name) => name !== '404.html')) {
      const [rootText, subPathText] = await Promise.all([readFile(path.join(root.dir, file), 'utf8'), readFile(path.join(subPath.dir, file), 'utf8')]);
      expect(subPathText === rebased(rootText, subPath.base), `${file} differs from the root site's by more than the base path`).toBe(true);
    }
  });

  it('moves every route page and every link of the reference under the base path', async () => {
    const [rootIndex, subPathIndex] = await Promise.all([readFile(path.join(root.dir, 'index.html'), 'utf8'), readFile(path.join(subPath.dir, 'index.html'), 'utf8')]);
    const links = (html: string) => [...html.matchAll(/\bhref="(\/[^"/][^"]*)"/g)].map((match) => match[1]!);
    expect(links(rootIndex).length).toBeGreaterThan(10);
    expect(links(subPathIndex).every((href) => href.startsWith(subPath.base))).toBe(true);
    const routePage = await readFile(path.join(subPath.dir, 'customers', 'index.html'), 'utf8');
    expect(routePage).toContain(`url=${subPath.base}#/customers`);
  });
});
