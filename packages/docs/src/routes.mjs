// @ts-check
// Makes every address the site links to load when opened directly, on any static host (GitHub Pages
// serves files and a 404.html, nothing else) and under any base path (a GitHub Pages project site
// lives at https://<owner>.github.io/<repo>/).
//
// Redoc pre-renders its sidebar with root-relative links (/customers, /section/downloads); once its
// script runs, it routes with the hash (#/customers). No static host has a /customers, and under a
// base path /customers is outside the site. So:
// - every root-relative link of the page gets the base path in front (/customers: <base>customers);
// - each of those addresses gets a file, <route>/index.html, that sends the browser on to the same
//   route as a hash (<base>#/customers), where Redoc shows it;
// - 404.html, which GitHub Pages serves for any missing file (and `pnpm docs:serve` too), does the same
//   for any other address that looks like a route (a copied deep link such as
//   <base>customers/createcustomer, or /customers/createcustomer without the base path), and says the
//   page does not exist otherwise.

import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * `/`, `/repo/` or `/a/b/`: starts and ends with `/`. Accepts `repo`, `/repo` or `repo/` too.
 *
 * @param {string} basePath
 * @returns {string}
 */
export function normalizeBasePath(basePath) {
  const trimmed = basePath.trim();
  const normalized = `/${trimmed.replace(/^\/+|\/+$/g, '')}/`.replace(/^\/\/$/, '/');
  if (!/^\/(?:[A-Za-z0-9._~-]+\/)*$/.test(normalized) || normalized.split('/').some((part) => part === '.' || part === '..')) {
    throw new Error(`The base path must be a URL path such as "/" or "/my-repo/" (letters, digits, ".", "_", "~" and "-" between slashes), got "${basePath}".`);
  }
  return normalized;
}

/** Root-relative links in the page Redoc rendered: `href="/..."`, not `href="//host"`. */
const ROOT_RELATIVE_HREF = /\bhref="(\/(?!\/)[^"]*)"/g;

/** Anything else root-relative would break under a base path; Redoc writes none today. */
const OTHER_ROOT_RELATIVE = /\b(?:src|action|srcset|poster|data)="\/(?!\/)[^"]*"|url\(\s*['"]?\/(?!\/)/;

/**
 * @param {string} text
 * @returns {string}
 */
export const escapeHtml = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * A page that sends the browser to `target` at once, with no script (a meta refresh) and a link for
 * the rest. Its icon is empty, so that the browser asks for none on the way.
 *
 * @param {{ target: string, title: string }} options
 */
function redirectPage({ target, title }) {
  const href = escapeHtml(target);
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:" />
  <meta http-equiv="refresh" content="0; url=${href}" />
  <meta name="robots" content="noindex" />
  <link rel="canonical" href="${href}" />
  <link rel="icon" href="data:," />
  <title>${escapeHtml(title)}</title>
</head>
<body>
  <p><a href="${href}">${escapeHtml(title)}</a></p>
</body>
</html>
`;
}

/**
 * GitHub Pages' 404 page: an address without a file extension is a route, sent on as a hash: under the
 * base path, what follows it; without it (a host that serves this page for its whole domain), the
 * whole path, so that a copied `/customers/createcustomer` opens too. Anything else is a page that
 * does not exist.
 *
 * @param {{ title: string, basePath: string }} options
 */
function notFoundPage({ title, basePath }) {
  const script = `(function () {
  var base = ${JSON.stringify(basePath)};
  var path = window.location.pathname;
  var route = ((path + '/').indexOf(base) === 0 ? path.slice(base.length) : path.slice(1)).replace(/\\/+$/, '');
  if (route === '' || /\\.[A-Za-z0-9]+$/.test(route)) return;
  window.location.replace(base + '#/' + route);
})();`;
  const hash = `sha256-${createHash('sha256').update(script).digest('base64')}`;
  const home = escapeHtml(basePath);
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'self'; script-src '${hash}'" />
  <meta name="robots" content="noindex" />
  <link rel="icon" href="${home}favicon.svg" type="image/svg+xml" />
  <title>Not found: ${escapeHtml(title)}</title>
  <script>${script}</script>
</head>
<body>
  <h1>Not found</h1>
  <p>There is no page at this address. The reference starts at <a href="${home}">${escapeHtml(title)}</a>.</p>
</body>
</html>
`;
}

/**
 * Rewrites the page's root-relative links for `basePath` and writes a page for each of their
 * addresses, plus 404.html. Returns the routes, such as `/customers` (without the base path).
 *
 * @param {object} options
 * @param {string} options.outDir   the site, holding index.html
 * @param {string} options.basePath where the site is served, normalized (`/`, `/repo/`)
 * @returns {Promise<string[]>}
 */
export async function writeRoutes({ outDir, basePath }) {
  const indexPath = path.join(outDir, 'index.html');
  const html = await readFile(indexPath, 'utf8');
  const other = OTHER_ROOT_RELATIVE.exec(html);
  if (other) {
    throw new Error(
      `The page Redoc rendered refers to "${other[0]}", a root-relative address that only links (href) may be: ` +
        'it would break under a base path. Teach packages/docs/src/routes.mjs to rewrite it.',
    );
  }
  const title = escapeHtmlDecode(/<title>([^<]*)<\/title>/.exec(html)?.[1] ?? 'API reference');

  /** @type {Set<string>} */
  const routes = new Set();
  const rewritten = html.replace(ROOT_RELATIVE_HREF, (_, /** @type {string} */ href) => {
    const route = href.replace(/[?#].*$/, '').replace(/\/+$/, '') || '/';
    if (route !== '/') routes.add(route);
    return `href="${basePath}${href.slice(1)}"`;
  });
  await writeFile(indexPath, rewritten);

  for (const route of routes) {
    if (route.split('/').some((part) => part === '..' || part === '.') || /\.[A-Za-z0-9]+$/.test(route)) {
      throw new Error(`Redoc links to "${route}", which is not a route this site can write a page for.`);
    }
    const dir = path.join(outDir, ...route.split('/').filter(Boolean));
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'index.html'), redirectPage({ target: `${basePath}#${route}`, title }));
  }
  await writeFile(path.join(outDir, '404.html'), notFoundPage({ title, basePath }));
  return [...routes].sort();
}

/**
 * @param {string} text HTML text
 * @returns {string} the text it shows
 */
function escapeHtmlDecode(text) {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&amp;/g, '&');
}
