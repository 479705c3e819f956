// vitest's globalSetup, for the browser tests (test/*.browser.test.ts): one Chromium for the whole run,
// which each test file connects to, and the built site served once at the root (dist/, as `pnpm build`
// writes it) and once under a sub-path (built here with `--base`, as the Docs workflow builds it for
// GitHub Pages, and served only there, as GitHub Pages serves a project site: files and 404.html).
// Launching Chromium and building the site take seconds, which each test file would pay again.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { startStaticServer } from '../src/static-server.mjs';
import { distDir } from './built-site.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/**
 * `--max-opt=1` keeps V8 to its baseline compiler: each page runs Redoc once, where optimising it costs
 * more than it saves (a direct load of an address took about 2 CPU-seconds instead of 3).
 * `--host-resolver-rules` keeps the browser offline: every host but 127.0.0.1 fails to resolve, as
 * without a network (test/browser.ts reports any request that tries).
 */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--js-flags=--max-opt=1',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
/** Where GitHub Pages serves a project site: https://<owner>.github.io/<repo>/. */
const SUB_PATH = '/reportei/connect-sdk/';
const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** A built site as the tests reach it. */
export interface ServedSite {
  /** Its address, ending with `/`: the base path included. */
  url: string;
  /** The URL path it was built for and is served at: `/` or SUB_PATH. */
  base: string;
  /** Where its files are. */
  dir: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the run's Chromium listens, for playwright-core's `chromium.connect`. */
    chromiumEndpoint: string;
    /** dist/, served at the root. */
    rootSite: ServedSite;
    /** The site built for SUB_PATH and served there only. */
    subPathSite: ServedSite;
  }
}

/**
 * Runs `node scripts/build.mjs ...args`, the docs build, to its end. It takes seconds; the limit, as
 * vitest sets none for a globalSetup, only turns a hang into a failure.
 */
function build(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/build.mjs', ...args], { cwd: packageDir, stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`scripts/build.mjs ${args.join(' ')} failed (${signal ?? code}):\n${output}`))));
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: install it with \`apt-get install -y chromium\`, or point CHROMIUM_PATH at one.`);
  }
  const subPathDir = path.join(await mkdtemp(path.join(tmpdir(), 'docs-sub-path-')), 'site');
  // Side by side: Chromium starts while the sub-path build runs. Playwright gives up after 30 s by
  // default, which Chromium can take to start when other suites hold both cores; the limit only turns a
  // hang into a failure.
  const [browserServer, rootServer, subPathServer] = await Promise.all([
    chromium.launchServer({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, timeout: 120_000 }),
    startStaticServer({ root: distDir, port: 0 }),
    build(['--base', SUB_PATH, '--out', subPathDir]).then(() => startStaticServer({ root: subPathDir, port: 0, basePath: SUB_PATH })),
  ]);
  project.provide('chromiumEndpoint', browserServer.wsEndpoint());
  project.provide('rootSite', { url: rootServer.url, base: '/', dir: distDir });
  project.provide('subPathSite', { url: subPathServer.url, base: SUB_PATH, dir: subPathDir });
  return async () => {
    await browserServer.close();
    await Promise.all([rootServer.close(), subPathServer.close()]);
    await rm(path.dirname(subPathDir), { recursive: true, force: true });
  };
}
