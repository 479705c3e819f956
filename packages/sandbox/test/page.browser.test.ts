// The hosted integration page in Debian's Chromium (playwright-core, never `playwright install`): a
// customer opens the session link, connects a network by typing an account name, sees it, disconnects
// it and leaves through the final button for the merchant's redirect_url, served here by a loopback
// page. Every request that would leave the two loopback origins is recorded and aborted.
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createConnectClient, type ConnectClient } from '@reportei-connect/client';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type RunningSandbox, type Sandbox } from '../src/index.js';
import { conformingFetch } from './conformance.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
// Chromium on a loaded machine can be slow: these limits only turn a hang into a failure.
const HOOK_MS = 180_000;
const TEST_MS = 180_000;

let sandbox: Sandbox;
let running: RunningSandbox;
let merchant: Server;
let merchantUrl: string;
let browser: Browser;
let context: BrowserContext;
let connect: ConnectClient;
const checked = conformingFetch(globalThis.fetch);
const blocked: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: install it with \`apt-get install -y chromium\`, or point CHROMIUM_PATH at one.`);
  sandbox = createSandbox({ seed: 'page-browser-test' });
  running = await sandbox.listen({ port: 0 });
  connect = createConnectClient({ token: sandbox.merchantToken, baseUrl: running.baseUrl, fetch: checked.fetch, retry: false });
  // The merchant's app, where the final button leads.
  merchant = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><title>Merchant</title><h1>Back at the merchant</h1><p>${request.url}</p>`);
  });
  await new Promise<void>((resolve) => merchant.listen(0, '127.0.0.1', resolve));
  merchantUrl = `http://127.0.0.1:${(merchant.address() as AddressInfo).port}`;

  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, timeout: 120_000 });
  context = await browser.newContext();
  const allowed = new Set([running.url, merchantUrl]);
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (allowed.has(new URL(url).origin)) return route.continue();
    blocked.push(url);
    return route.abort('internetdisconnected');
  });
}, HOOK_MS);

afterAll(async () => {
  await browser?.close();
  await running?.close();
  await sandbox?.close();
  if (merchant) {
    merchant.closeAllConnections();
    await new Promise<void>((resolve) => merchant.close(() => resolve()));
  }
  expect(checked.violations).toEqual([]);
}, HOOK_MS);

async function newPage(): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  page.setDefaultNavigationTimeout(120_000);
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  return page;
}

async function customerWithSession(name: string, session: { redirect_url?: string; locale?: string }) {
  const { customer } = await connect.createCustomer({ name });
  const client = connect.forCustomer(customer.api_token);
  const { integration_session } = await client.createIntegrationSession(session);
  return { client, session: integration_session };
}

describe('the hosted integration page in Chromium', () => {
  it(
    'connects a network by its account name, shows it, disconnects it, and leads back to redirect_url',
    async () => {
      const { client, session } = await customerWithSession('Browser Customer', { redirect_url: `${merchantUrl}/integrations/done?customer=42` });
      const page = await newPage();
      const opened = await page.goto(session.session_link);
      expect(opened?.status()).toBe(200);
      await expect(page.title()).resolves.toBe('Connect your accounts · Sandbox Merchant');
      expect(await page.locator('h1').textContent()).toBe('Connect your accounts');
      expect(await page.locator('.none').textContent()).toBe('No account connected yet.');

      await page.getByLabel('YouTube account name').fill('My Channel');
      await page.getByRole('button', { name: 'Connect: YouTube' }).click();
      await page.getByRole('status').filter({ hasText: 'YouTube connected.' }).waitFor();
      const row = page.locator('ul.connected li');
      expect(await row.count()).toBe(1);
      expect(await row.locator('.account').textContent()).toBe('My Channel');
      expect(await row.locator('.status').textContent()).toBe('Active');

      // Visible through the API at once.
      const { data } = await client.listCustomerIntegrations();
      expect(data).toEqual([expect.objectContaining({ source_name: 'My Channel', status: 'active', integration: { name: 'YouTube', slug: 'youtube' } })]);
      expect(await row.getAttribute('data-integration')).toBe(data[0]!.uuid);

      await page.getByRole('button', { name: 'Disconnect: YouTube, My Channel' }).click();
      await page.getByRole('status').filter({ hasText: 'YouTube disconnected.' }).waitFor();
      expect(await page.locator('ul.connected li').count()).toBe(0);
      expect((await client.listCustomerIntegrations()).meta.total).toBe(0);

      await page.getByRole('link', { name: 'Done: back to Sandbox Merchant' }).click();
      await page.waitForURL(`${merchantUrl}/integrations/done?customer=42`);
      expect(await page.locator('h1').textContent()).toBe('Back at the merchant');
      await page.close();
      expect(blocked).toEqual([]);
      expect(pageErrors).toEqual([]);
    },
    TEST_MS,
  );

  it(
    'speaks Brazilian Portuguese for a pt_br session',
    async () => {
      const { session } = await customerWithSession('Cliente Brasileiro', { locale: 'pt_br' });
      const page = await newPage();
      expect((await page.goto(session.session_link))?.status()).toBe(200);
      expect(await page.locator('html').getAttribute('lang')).toBe('pt-BR');
      expect(await page.locator('h1').textContent()).toBe('Conecte suas contas');
      expect(await page.locator('.intro').textContent()).toBe('Sandbox Merchant pede que Cliente Brasileiro conecte as contas que farão parte dos relatórios.');
      await page.getByLabel('Nome da conta de Facebook').fill('Página da Loja');
      await page.getByRole('button', { name: 'Conectar: Facebook' }).click();
      await page.getByRole('status').filter({ hasText: 'Facebook conectado.' }).waitFor();
      expect(await page.locator('ul.connected .status').textContent()).toBe('Ativa');
      // Without a redirect_url, the final button leads to the sandbox's own page, in Portuguese.
      await page.getByRole('link', { name: 'Concluir e voltar para Sandbox Merchant' }).click();
      await page.waitForURL(`${running.url}/customer-integrations/done?locale=pt_br`);
      expect(await page.locator('h1').textContent()).toBe('Tudo pronto');
      await page.close();
      expect(pageErrors).toEqual([]);
    },
    TEST_MS,
  );

  it(
    'answers 401 with a page saying so once the session has expired',
    async () => {
      const { session } = await customerWithSession('Late Customer', {});
      const page = await newPage();
      expect((await page.goto(session.session_link))?.status()).toBe(200);
      sandbox.clock.advance(301);
      const expired = await page.reload();
      expect(expired?.status()).toBe(401);
      expect(await page.locator('h1').textContent()).toBe('This link has expired');
      expect(await page.locator('p').textContent()).toBe('Integration links work for 5 minutes. Ask Sandbox Merchant for a new one.');
      await page.close();
    },
    TEST_MS,
  );
});
