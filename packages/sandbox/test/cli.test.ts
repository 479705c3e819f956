import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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

function run(args: string[], env: Record<string, string> = {}): { child: Child; stdout: () => string; stderr: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
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
async function start(args: string[] = [], childEnv: Record<string, string> = {}): Promise<Started> {
  const { child, stdout, stderr, exit } = run(['--port', '0', ...args], childEnv);
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

const REACH = { start: '2025-01-01', end: '2025-01-31', metrics: [{ id: 'reach', reference_key: 'ig:reach', component: 'number_v1', metrics: ['reach'] }] };

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** A loopback webhook receiver that answers 204. */
async function receiver() {
  const received: string[] = [];
  const server = createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    received.push(body);
    response.writeHead(204).end();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

describe('connect-sandbox', () => {
  it('prints exactly the four REPORTEI_CONNECT_* lines on stdout (and with --write-env into that file, for its owner only), serves them, and exits 0 on SIGINT', async () => {
    // pnpm runs the CLI in the package's folder and names the folder the user typed the command in INIT_CWD.
    const typedIn = mkdtempSync(join(tmpdir(), 'connect-sandbox-env-'));
    folders.push(typedIn);
    const started = await start(['--write-env', '.env'], { INIT_CWD: typedIn });
    const { env } = started;
    expect(Object.keys(env)).toEqual(ENV_NAMES);
    const envFile = join(typedIn, '.env');
    expect(readFileSync(envFile, 'utf8')).toBe(`${ENV_NAMES.map((name) => `${name}=${env[name]}`).join('\n')}\n`);
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
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

  it('applies --rate-limit, --redirect-url and --allow-origin', async () => {
    const started = await start(['--rate-limit', '3', '--redirect-url', 'https://merchant.example/back', '--allow-origin', 'https://app.example', '--quiet']);
    const settings = await fetch(`${started.env.REPORTEI_CONNECT_BASE_URL}/merchants/settings`, { headers: { ...auth(started.env), origin: 'https://app.example' } });
    expect((await settings.json()).merchant.redirect_url).toBe('https://merchant.example/back');
    expect(settings.headers.get('access-control-allow-origin')).toBe('https://app.example');
    const statuses: number[] = [];
    for (let index = 0; index < 3; index++) statuses.push((await fetch(`${started.env.REPORTEI_CONNECT_BASE_URL}/merchants/settings`, { headers: auth(started.env) })).status);
    expect(statuses).toEqual([200, 200, 429]);
    expect(started.stderr()).not.toContain('GET /api');
    expect(await stop(started)).toBe(0);
  });

  it('holds its --state file alone, keeps it across kill -9 with pending webhook deliveries, and refuses a corrupt file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'connect-sandbox-cli-'));
    folders.push(dir);
    const file = join(dir, 'state.json');
    const hook = await receiver();
    const args = ['--state', file, '--merchant-token', 'cli-token', '--webhook-delay-ms', '600000'];
    const first = await start([...args, '--seed', 'cli-test']);
    expect(first.env.REPORTEI_CONNECT_TOKEN).toBe('cli-token');
    const base = first.env.REPORTEI_CONNECT_BASE_URL!;
    const created = await fetch(`${base}/customers`, { method: 'POST', headers: { ...auth(first.env), 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Survivor' }) });
    const { customer } = await created.json();
    const asked = await fetch(`${base}/metrics/get-data-async`, {
      method: 'POST',
      headers: { ...auth(first.env), 'x-customer-token': first.env.REPORTEI_CONNECT_CUSTOMER_TOKEN!, 'content-type': 'application/json' },
      body: JSON.stringify({ ...REACH, customer_integration: first.env.REPORTEI_CONNECT_CUSTOMER_INTEGRATION, metrics_webhook_url: hook.url }),
    });
    expect(asked.status).toBe(200);

    // A second sandbox on the same file refuses to start, in one line naming the file and the holder.
    const second = run(['--port', '0', ...args]);
    expect(await second.exit).toBe(1);
    expect(second.stderr().trim()).toBe(`connect-sandbox: The state file ${file} is in use by process ${first.child.pid}: stop that sandbox first, or pass another --state file.`);
    expect(second.stdout()).toBe('');

    // Killed: its lock is stale at once, and the pending delivery is sent after the restart.
    const killed = new Promise((resolve) => first.child.once('exit', resolve));
    first.child.kill('SIGKILL');
    await killed;
    const third = await start(args);
    expect(third.env.REPORTEI_CONNECT_CUSTOMER_TOKEN).toBe(first.env.REPORTEI_CONNECT_CUSTOMER_TOKEN);
    const found = await fetch(`${third.env.REPORTEI_CONNECT_BASE_URL}/customers/${customer.uuid}`, { headers: auth(third.env) });
    expect((await found.json()).customer.name).toBe('Survivor');
    const control = third.env.REPORTEI_CONNECT_BASE_URL!.replace(/\/api$/, '/__sandbox');
    const pending = await (await fetch(`${control}/webhook-deliveries`, { headers: auth(third.env) })).json();
    expect(pending.data).toEqual([expect.objectContaining({ url: hook.url, status: 'pending', attempts: [] })]);
    const flushed = await (await fetch(`${control}/webhook-deliveries/flush`, { method: 'POST', headers: auth(third.env) })).json();
    expect(flushed.data).toEqual([expect.objectContaining({ url: hook.url, status: 'delivered' })]);
    expect(hook.received).toHaveLength(1);
    expect(await stop(third)).toBe(0);

    writeFileSync(file, readFileSync(file, 'utf8').slice(0, 100));
    const corrupt = run(['--port', '0', '--state', file]);
    expect(await corrupt.exit).toBe(1);
    expect(corrupt.stderr()).toMatch(/state file .* is not valid JSON/);
    expect(corrupt.stdout()).toBe('');
  });

  it('on Ctrl-C without --state, makes the next attempt of pending deliveries, saying so, and says how many it drops', async () => {
    const hook = await receiver();
    // A port nothing listens on: its delivery's attempt fails, so it is still pending after it.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const refused = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/hook`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const started = await start(['--webhook-delay-ms', '600000', '--quiet']);
    for (const url of [hook.url, refused]) {
      const asked = await fetch(`${started.env.REPORTEI_CONNECT_BASE_URL}/metrics/get-data-async`, {
        method: 'POST',
        headers: { ...auth(started.env), 'x-customer-token': started.env.REPORTEI_CONNECT_CUSTOMER_TOKEN!, 'content-type': 'application/json' },
        body: JSON.stringify({ ...REACH, customer_integration: started.env.REPORTEI_CONNECT_CUSTOMER_INTEGRATION, metrics_webhook_url: url }),
      });
      expect(asked.status).toBe(200);
    }
    expect(await stop(started)).toBe(0);
    expect(started.stderr()).toContain(`Waiting up to 5 s for the next attempt of 2 pending webhook deliveries (${hook.url}, ${refused})`);
    expect(started.stderr()).toContain('Dropping 1 webhook delivery still pending (start with --state to keep them across restarts).');
    expect(hook.received).toHaveLength(1);
  });

  it('refuses a bad option with exit status 2, and explains itself with --help', async () => {
    // Each option's checks are tested in-process (cli-options.test.ts): one process shows how they are reported.
    const bad = run(['--port', 'x']);
    const help = run(['--help']);
    expect(await bad.exit).toBe(2);
    expect(bad.stderr()).toContain('connect-sandbox: --port must be a number from 0 to 65535, got "x"');
    expect(bad.stderr()).toContain('Usage: connect-sandbox');
    expect(await help.exit).toBe(0);
    expect(help.stdout()).toContain('--allow-origin <origin>');
  });
});
