import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { conformingFetch } from './conformance.js';

const bin = fileURLToPath(new URL('../bin/connect-sandbox.js', import.meta.url));
const ENV_NAMES = ['REPORTEI_CONNECT_BASE_URL', 'REPORTEI_CONNECT_TOKEN', 'REPORTEI_CONNECT_CUSTOMER_TOKEN', 'REPORTEI_CONNECT_CUSTOMER_INTEGRATION'];

type Child = ChildProcessByStdio<null, Readable, Readable>;
interface Started {
  child: Child;
  env: Record<string, string>;
  stderr: () => string;
}

// Every response of the API is checked against the spec, as in the other tests.
const checked = conformingFetch(globalThis.fetch);
const fetch = checked.fetch;

const children: Child[] = [];
const folders: string[] = [];
afterEach(() => {
  expect(checked.violations.splice(0)).toEqual([]);
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function run(args: string[]): { child: Child; stdout: () => string; stderr: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  // 'close', not 'exit': the process may exit before all it wrote has been read.
  const exit = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exit };
}

/** Starts the CLI and resolves with the NAME=value lines it prints, once all four are there. */
async function start(args: string[] = []): Promise<Started> {
  const { child, stdout, stderr, exit } = run(['--port', '0', ...args]);
  const env = await new Promise<Record<string, string>>((resolve, reject) => {
    const check = () => {
      const lines = stdout().split('\n').filter((line) => /^[A-Z_]+=/.test(line));
      if (lines.length >= ENV_NAMES.length) resolve(Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)])));
    };
    child.stdout.on('data', check);
    void exit.then((code) => reject(new Error(`connect-sandbox exited with ${code}: ${stderr()}`)));
  });
  return { child, env, stderr };
}

async function stop({ child }: Started): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGINT');
  return exited;
}

const auth = (env: Record<string, string>) => ({ authorization: `Bearer ${env.REPORTEI_CONNECT_TOKEN}` });

describe('connect-sandbox', () => {
  it('prints exactly the four REPORTEI_CONNECT_* lines on stdout, serves them, and exits 0 on SIGINT', async () => {
    const started = await start();
    const { env } = started;
    expect(Object.keys(env)).toEqual(ENV_NAMES);
    expect(env.REPORTEI_CONNECT_BASE_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api$/);
    expect(env.REPORTEI_CONNECT_TOKEN).toBe('sandbox-merchant-token');

    const settings = await fetch(`${env.REPORTEI_CONNECT_BASE_URL}/merchants/settings`, { headers: auth(env) });
    expect(settings.status).toBe(200);
    const integration = await fetch(`${env.REPORTEI_CONNECT_BASE_URL}/customer-integrations/${env.REPORTEI_CONNECT_CUSTOMER_INTEGRATION}`, {
      headers: { ...auth(env), 'x-customer-token': env.REPORTEI_CONNECT_CUSTOMER_TOKEN! },
    });
    expect(await integration.json()).toMatchObject({ customer_integration: { status: 'active', integration: { slug: 'instagram_business' } } });
    // Each request is logged on stderr, without tokens.
    await vi.waitFor(() => expect(started.stderr()).toContain('GET /api/merchants/settings 200 getMerchantSettings'));
    expect(started.stderr()).not.toContain(env.REPORTEI_CONNECT_CUSTOMER_TOKEN);

    expect(await stop(started)).toBe(0);
  });

  it('runs the metrics README example with only the printed values', async () => {
    const started = await start();
    const readme = readFileSync(fileURLToPath(new URL('../../metrics/README.md', import.meta.url)), 'utf8');
    const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toContain('getMetricsData');
    // Written inside the package, so that its imports resolve as in a user's project.
    const dir = fileURLToPath(new URL('./.tmp/', import.meta.url));
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `metrics-readme-${process.pid}.ts`);
    writeFileSync(file, example!);
    const saved = Object.fromEntries(ENV_NAMES.map((name) => [name, process.env[name]]));
    const logs: unknown[][] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void logs.push(args));
    try {
      Object.assign(process.env, started.env);
      await import(/* @vite-ignore */ file);
    } finally {
      log.mockRestore();
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      rmSync(file, { force: true });
    }
    const requests = await (await fetch(`${started.env.REPORTEI_CONNECT_BASE_URL!.replace(/\/api$/, '')}/__sandbox/requests`, { headers: auth(started.env) })).json();
    expect(requests.requests).toContainEqual(expect.objectContaining({ operationId: 'getMetricsData', status: 200 }));
    if (/console\.log\(result\.reach\??\.values\)/.test(example!)) expect(logs).toContainEqual([expect.any(Number)]);
    expect(await stop(started)).toBe(0);
  });

  it("runs the README's whole flow: flow.sh (curl and jq), the session link, then webhook.ts, with only the printed values", async () => {
    const started = await start(['--webhook-delay-ms', '100']);
    const flow = spawn('bash', [fileURLToPath(new URL('../examples/flow.sh', import.meta.url))], { env: { ...process.env, ...started.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let flowOut = '';
    let flowErr = '';
    flow.stdout.on('data', (chunk: Buffer) => (flowOut += chunk));
    flow.stderr.on('data', (chunk: Buffer) => (flowErr += chunk));
    expect(await new Promise((resolve) => flow.once('exit', resolve)), flowErr).toBe(0);
    const lines = flowOut.trim().split('\n');
    expect(lines.map((line) => line.slice(0, line.indexOf('=')))).toEqual(['REPORTEI_CONNECT_CUSTOMER_TOKEN', 'REPORTEI_CONNECT_CUSTOMER_INTEGRATION']);
    const customerEnv = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
    expect(flowErr).toContain('"status":"active"');

    // The link it prints opens the hosted page, in Portuguese, with the network it connected.
    const link = /^Open (\S+) in a browser/m.exec(flowErr)?.[1];
    expect(link).toMatch(new RegExp(`^${started.env.REPORTEI_CONNECT_BASE_URL!.replace(/\/api$/, '')}/customer-integrations/session/[0-9a-f-]{36}$`));
    const page = await globalThis.fetch(link!);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<h1>Conecte suas contas</h1>');
    expect(html).toContain('<span class="account">acme.store</span>');

    const saved = Object.fromEntries(ENV_NAMES.map((name) => [name, process.env[name]]));
    const logs: unknown[][] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void logs.push(args));
    try {
      Object.assign(process.env, started.env, customerEnv);
      await import('../examples/webhook.js');
    } finally {
      log.mockRestore();
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
    expect(logs).toEqual([[expect.any(Number)], [{ message: 'Metrics are being processed and will be sent to the webhook' }], [true]]);
    // The CLI logs each webhook attempt on stderr.
    await vi.waitFor(() => expect(started.stderr()).toMatch(/webhook POST http:\/\/127\.0\.0\.1:\d+\/hooks\/january-report 204 attempt 1: delivered/), { timeout: 60_000, interval: 50 });
    expect(await stop(started)).toBe(0);
  });

  it('leads the hosted page to --redirect-url', async () => {
    const started = await start(['--redirect-url', 'https://merchant.example/back', '--quiet']);
    const settings = await fetch(`${started.env.REPORTEI_CONNECT_BASE_URL}/merchants/settings`, { headers: auth(started.env) });
    expect((await settings.json()).merchant.redirect_url).toBe('https://merchant.example/back');
    expect(await stop(started)).toBe(0);
  });

  it('keeps its state in --state across a restart, and refuses a corrupt file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'connect-sandbox-cli-'));
    folders.push(dir);
    const file = join(dir, 'state.json');
    const first = await start(['--state', file, '--seed', 'cli-test', '--merchant-token', 'cli-token']);
    expect(first.env.REPORTEI_CONNECT_TOKEN).toBe('cli-token');
    const created = await fetch(`${first.env.REPORTEI_CONNECT_BASE_URL}/customers`, {
      method: 'POST',
      headers: { ...auth(first.env), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Survivor' }),
    });
    const { customer } = await created.json();
    expect(await stop(first)).toBe(0);

    const second = await start(['--state', file, '--merchant-token', 'cli-token']);
    expect(second.env.REPORTEI_CONNECT_CUSTOMER_TOKEN).toBe(first.env.REPORTEI_CONNECT_CUSTOMER_TOKEN);
    const found = await fetch(`${second.env.REPORTEI_CONNECT_BASE_URL}/customers/${customer.uuid}`, { headers: auth(second.env) });
    expect((await found.json()).customer.name).toBe('Survivor');
    expect(await stop(second)).toBe(0);

    writeFileSync(file, readFileSync(file, 'utf8').slice(0, 100));
    const corrupt = run(['--port', '0', '--state', file]);
    expect(await corrupt.exit).toBe(1);
    expect(corrupt.stderr()).toMatch(/state file .* is not valid JSON/);
    expect(corrupt.stdout()).toBe('');
  });

  it('applies --rate-limit', async () => {
    const started = await start(['--rate-limit', '2', '--quiet']);
    const statuses: number[] = [];
    for (let index = 0; index < 3; index++) statuses.push((await fetch(`${started.env.REPORTEI_CONNECT_BASE_URL}/merchants/settings`, { headers: auth(started.env) })).status);
    expect(statuses).toEqual([200, 200, 429]);
    expect(started.stderr()).not.toContain('GET /api');
    expect(await stop(started)).toBe(0);
  });

  it('refuses bad options with exit status 2, and explains itself with --help', async () => {
    // One invocation per bad option, all started at once: each is still a process of its own.
    const invalid = [['--port', 'x'], ['--rate-limit', '0'], ['--webhook-delay-ms', 'soon'], ['--redirect-url', 'javascript:alert(1)'], ['--frobnicate']];
    const bad = invalid.map((args) => ({ args, ...run(args) }));
    const help = run(['--help']);
    for (const { args, exit, stderr } of bad) {
      expect(await exit, args.join(' ')).toBe(2);
      expect(stderr(), args.join(' ')).toContain('Usage: connect-sandbox');
    }
    expect(await help.exit).toBe(0);
    expect(help.stdout()).toContain('--state <file>');
  });
});
