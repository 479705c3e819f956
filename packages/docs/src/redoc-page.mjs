// @ts-check
// Renders the reference page with `redocly build-docs`, then makes it self-contained: the page
// build-docs writes imports Redoc's standalone script from Redocly's CDN, and that script shows a
// logo fetched from another CDN. Both are replaced by copies served from the site's own origin, and
// a Content-Security-Policy lets the browser load nothing else, should a later Redoc try to.

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const redoclyCliDir = path.dirname(require.resolve('@redocly/cli/package.json'));

/**
 * The Redoc script build-docs pre-renders with and hydrates against. The `redoc` package on npm
 * cannot be installed (redoc 3 depends on a version of @redocly/redoc-opentelemetry that was never
 * published), and the page must hydrate with exactly the Redoc that rendered it, so we take the
 * copy @redocly/cli ships for its own `--inlineBundle`.
 */
const REDOC_STANDALONE = path.join(redoclyCliDir, 'lib/chunks/redoc.standalone.js');

/** Where the page expects the script, relative to index.html. */
const LOCAL_SCRIPT = 'redoc.standalone.js';

/** Remote images Redoc's sidebar loads, and the local files (from template/) that replace them. */
const REMOTE_IMAGES = new Map([
  ['https://cdn.redoc.ly/redoc/logo-mini-full.svg', 'redocly-logo-full.svg'],
  ['https://cdn.redoc.ly/redoc/logo-mini.svg', 'redocly-logo-mini.svg'],
]);

const CDN_SCRIPT_URL = /https:\/\/cdn\.redocly\.com\/redoc\/[^"'\s]+\/redoc\.standalone\.js/g;

/** Where template/index.hbs wants the Content-Security-Policy. */
const CSP_PLACEHOLDER = '__CONTENT_SECURITY_POLICY__';

/**
 * Only the site's own files, plus the inline scripts build-docs writes (allowed by hash). Redoc sets
 * inline styles at run time and embeds its icon font as a data: URL, hence those two exceptions.
 *
 * @param {string[]} inlineScriptHashes
 */
const contentSecurityPolicy = (inlineScriptHashes) =>
  [
    "default-src 'self'",
    `script-src 'self' ${inlineScriptHashes.map((hash) => `'${hash}'`).join(' ')}`,
    "style-src 'self' 'unsafe-inline'",
    "font-src 'self' data:",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');

/**
 * @param {object} options
 * @param {string} options.specPath    the OpenAPI document to render
 * @param {string} options.outDir      where index.html, the script and the images go
 * @param {string} options.templateDir holds index.hbs and the replacement images
 * @param {string} options.configPath  redocly.yaml with the Redoc options
 * @param {string} options.description the page's meta description
 */
export async function renderRedocPage({ specPath, outDir, templateDir, configPath, description }) {
  const htmlPath = path.join(outDir, 'index.html');
  await runRedocly([
    'build-docs',
    specPath,
    '--output',
    htmlPath,
    '--template',
    path.join(templateDir, 'index.hbs'),
    '--config',
    configPath,
    '--templateOptions.description',
    description,
  ]);

  const script = await localRedocScript();
  await writeFile(path.join(outDir, LOCAL_SCRIPT), script);
  for (const file of PAGE_IMAGES) {
    await copyFile(path.join(templateDir, file), path.join(outDir, file));
  }

  const integrity = `sha384-${createHash('sha384').update(script).digest('base64')}`;
  const html = pointAtLocalScript(await readFile(htmlPath, 'utf8'), integrity);
  await writeFile(htmlPath, withContentSecurityPolicy(html));
}

/**
 * Fills the template's Content-Security-Policy, allowing the page's inline scripts by their hash.
 *
 * @param {string} html
 */
function withContentSecurityPolicy(html) {
  if (html.split(CSP_PLACEHOLDER).length !== 2) {
    throw new Error(`template/index.hbs must contain ${CSP_PLACEHOLDER} once, where the Content-Security-Policy goes.`);
  }
  const hashes = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)]
    .map(([, body]) => body ?? '')
    .filter((body) => body.trim() !== '')
    .map((body) => `sha256-${createHash('sha256').update(body).digest('base64')}`);
  return html.replace(CSP_PLACEHOLDER, contentSecurityPolicy(hashes));
}

/** The images the page loads from its own origin, all in template/. */
export const PAGE_IMAGES = [...REMOTE_IMAGES.values(), 'favicon.svg'];

/** Redoc's standalone script, loading its images from the page's own origin (`pnpm dev` serves it too). */
export const localRedocScript = async () => localizeImages(await readFile(REDOC_STANDALONE, 'utf8'));

/**
 * @param {string} script Redoc's standalone script
 * @returns {string} the same script, loading its images from the site's own origin
 */
function localizeImages(script) {
  let result = script;
  for (const [remote, local] of REMOTE_IMAGES) {
    const occurrences = result.split(remote).length - 1;
    if (occurrences !== 1) {
      throw new Error(
        `Expected Redoc's standalone script (${REDOC_STANDALONE}) to load ${remote} once, found it ${occurrences} times. ` +
          'Redoc changed: update REMOTE_IMAGES in packages/docs/src/redoc-page.mjs to the images it now loads.',
      );
    }
    result = result.replace(remote, local);
  }
  return result;
}

/**
 * @param {string} html the page build-docs wrote
 * @param {string} integrity the subresource-integrity hash of our copy of the script
 */
function pointAtLocalScript(html, integrity) {
  const references = html.match(CDN_SCRIPT_URL) ?? [];
  const integrities = html.match(/integrity="sha384-[^"]+"/g) ?? [];
  // build-docs references the script twice (modulepreload and import) with one integrity hash.
  if (references.length !== 2 || integrities.length !== 1) {
    throw new Error(
      `Expected build-docs to reference Redoc's CDN script twice with one integrity hash, found ${references.length} and ${integrities.length}. ` +
        'The build-docs output changed: update pointAtLocalScript in packages/docs/src/redoc-page.mjs.',
    );
  }
  return html.replace(CDN_SCRIPT_URL, `./${LOCAL_SCRIPT}`).replace(integrities[0], `integrity="${integrity}"`);
}

/** @param {string[]} args */
function runRedocly(args) {
  const cli = path.join(redoclyCliDir, 'bin/cli.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve(undefined);
      else reject(new Error(`redocly ${args[0]} failed (${signal ?? `exit code ${code}`}); its output is above.`));
    });
  });
}
