// The react-query README's example as a page in Chromium, against a sandbox: bundled as Vite would (the
// sandbox's lines as import.meta.env), served from a loopback server, with the sandbox on another port
// as a browser app would call it. Clicking "Add Acme" must show Acme in the list. (Here rather than in
// the react-query package, so that the package's build does not wait for the sandbox's.)

import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createSandbox } from '@reportei-connect/sandbox';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const example = fileURLToPath(new URL('../../packages/react-query/examples/app.tsx', import.meta.url));

const sandbox = createSandbox({ seed: 'react-query-example' });
let api: Awaited<ReturnType<typeof sandbox.listen>>;
let page: Server;
let pageUrl: string;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: install it with \`apt-get install -y chromium\`, or point CHROMIUM_PATH at one.`);
  api = await sandbox.listen({ port: 0 });
  const env = { ...api.env };
  const bundle = await build({
    entryPoints: [example],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    jsx: 'automatic',
    // What Vite does with those names in envPrefix: each variable's value in place of import.meta.env.<name>.
    define: {
      'process.env.NODE_ENV': '"development"',
      ...Object.fromEntries(Object.entries(env).map(([name, value]) => [`import.meta.env.${name}`, JSON.stringify(value)])),
    },
    logLevel: 'silent',
  });
  const script = bundle.outputFiles[0]!.text;
  page = createServer((request, response) => {
    if (request.url === '/app.js') return void response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><div id="root"></div><script type="module" src="/app.js"></script>');
  });
  await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
  pageUrl = `http://127.0.0.1:${(page.address() as AddressInfo).port}/`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, timeout: 120_000 });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (page ? page.close(resolve) : resolve(undefined)));
  await api?.close();
  await sandbox.close();
});

describe('the react-query README example', () => {
  it('is examples/app.tsx, as it is', () => {
    const readme = readFileSync(fileURLToPath(new URL('../../packages/react-query/README.md', import.meta.url)), 'utf8');
    expect(readme).toContain(`\`\`\`tsx\n${readFileSync(example, 'utf8')}\`\`\``);
  });

  it('lists the customers and the integrations, and shows a customer added with the button', async () => {
    const context = await browser.newContext();
    // Only the page and the sandbox: nothing else may be reached.
    const outside: string[] = [];
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if ([new URL(pageUrl).origin, api.url].includes(new URL(url).origin)) return route.continue();
      outside.push(url);
      return route.abort();
    });
    const tab = await context.newPage();
    // Generous: a busy machine makes Chromium slow. They only turn a hang into a failure.
    tab.setDefaultTimeout(60_000);
    const errors: string[] = [];
    tab.on('pageerror', (error) => errors.push(error.message));
    await tab.goto(pageUrl);
    const items = tab.locator('li');
    await items.filter({ hasText: /^Demo Customer$/ }).waitFor();
    await items.filter({ hasText: /^Instagram Business$/ }).waitFor();
    await expect(items.filter({ hasText: /^Acme$/ }).count()).resolves.toBe(0);

    await tab.getByRole('button', { name: 'Add Acme' }).click();
    await items.filter({ hasText: /^Acme$/ }).waitFor();
    expect(sandbox.requests().filter((request) => request.operationId === 'listCustomers').length).toBeGreaterThanOrEqual(2);
    expect({ errors, outside }).toEqual({ errors: [], outside: [] });
    await context.close();
  });
});
