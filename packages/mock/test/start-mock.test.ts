import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { appendFile, copyFile, mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { MockStartError, findFreePort, specPath, startMock, type RunningMock } from '../src/index.js';
import { cli, handles, startJob, waitFor, watchSignals } from './cli-job.js';

const merchant = { Authorization: 'Bearer any-token' };
const customer = { ...merchant, 'x-customer-token': 'any-customer-token' };

/** True while any process of the group led by `pid` is alive. */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resolves once this process could listen on the port itself, that is, once it is free. */
async function canListenOn(port: number): Promise<boolean> {
  const server = createServer();
  try {
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    return true;
  } catch {
    return false;
  } finally {
    server.close();
  }
}

/** The package as a script that imports it gets it, for the cases that start a mock in a process of their own. */
const builtEntry = new URL('../dist/index.js', import.meta.url).href;

// Prism takes seconds to start, so the cases that only send requests share one, started on a port the
// test chose; the cases about starting, stopping and ports start their own.
let shared: RunningMock;
let sharedPort: number;
beforeAll(async () => {
  sharedPort = await findFreePort();
  shared = await startMock({ port: sharedPort });
});
afterAll(async () => {
  await shared?.stop();
});

const running: RunningMock[] = [];
async function start(options?: Parameters<typeof startMock>[0]) {
  const mock = await startMock(options);
  running.push(mock);
  return mock;
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((mock) => mock.stop()));
});

describe('startMock', () => {
  it('serves the bundled spec on the port it is given, with auth and request validation', async () => {
    expect(shared.url).toBe(`http://127.0.0.1:${sharedPort}`);

    const settings = await fetch(`${shared.url}/merchants/settings`, { headers: merchant });
    expect(settings.status).toBe(200);
    expect(settings.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await settings.json()).toMatchObject({ merchant: { name: expect.any(String) } });

    expect((await fetch(`${shared.url}/merchants/settings`)).status).toBe(401);
    expect((await fetch(`${shared.url}/customer-integrations`, { headers: merchant })).status).toBe(401);
    expect((await fetch(`${shared.url}/customer-integrations`, { headers: customer })).status).toBe(200);
    expect((await fetch(`${shared.url}/customers?per_page=101`, { headers: merchant })).status).toBe(422);
    const invalidBody = await fetch(`${shared.url}/customers`, {
      method: 'POST',
      headers: { ...merchant, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 42 }),
    });
    expect(invalidBody.status).toBe(422);
    const created = await fetch(`${shared.url}/customers`, {
      method: 'POST',
      headers: { ...merchant, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Acme' }),
    });
    expect(created.status).toBe(201);
    const notFound = await fetch(`${shared.url}/customers/caedbbbe-7d93-476f-b965-bf97cd7ce874`, { headers: { ...merchant, Prefer: 'code=404' } });
    expect(notFound.status).toBe(404);
  });

  it('picks a free loopback port by default; stop() ends the whole process group, frees the port and lets the script end at once', async () => {
    // A script that starts a mock, prints where it runs, stops it once its standard input closes (twice:
    // a second stop is harmless) and prints what still keeps it alive. Its own timers and handles are
    // none but the mock's: a timer still running after stop() would keep it alive until the timer fired
    // (stop()'s 3 s grace period did). One mock for both checks: each start costs Prism's seconds.
    const script = [
      `const { startMock } = await import(${JSON.stringify(builtEntry)});`,
      'const mock = await startMock();',
      'console.log(JSON.stringify({ pid: mock.pid, port: mock.port, url: mock.url }));',
      "await new Promise((resolve) => process.stdin.on('end', resolve).resume());",
      'await mock.stop();',
      'await mock.stop();',
      'console.log(JSON.stringify(process.getActiveResourcesInfo()));',
    ].join(' ');
    const owner = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
    let printed = '';
    owner.stdout.setEncoding('utf8').on('data', (chunk: string) => (printed += chunk));
    const exited = once(owner, 'exit') as Promise<[number | null]>;
    while (!printed.includes('\n')) await once(owner.stdout, 'data');
    const mock = JSON.parse(printed.slice(0, printed.indexOf('\n'))) as { pid: number; port: number; url: string };
    expect(mock.port).toBeGreaterThan(0);
    expect(mock.url).toBe(`http://127.0.0.1:${mock.port}`);
    expect(groupAlive(mock.pid)).toBe(true);
    expect(await canListenOn(mock.port)).toBe(false);

    owner.stdin.end();
    const [code] = await exited;

    expect(code).toBe(0);
    expect(JSON.parse(printed.split('\n')[1]!)).not.toContain('Timeout');
    expect(groupAlive(mock.pid)).toBe(false);
    expect(await canListenOn(mock.port)).toBe(true);
    await expect(fetch(`${mock.url}/merchants/settings`, { headers: merchant })).rejects.toThrow();
  });

  it('never outlives the process that started it, even one killed with SIGKILL', async () => {
    const script = `const { startMock } = await import(${JSON.stringify(builtEntry)}); const mock = await startMock(); console.log(mock.pid);`;
    const owner = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [line] = (await once(owner.stdout, 'data')) as [Buffer];
    const prismPid = Number(line.toString().trim());
    expect(groupAlive(prismPid)).toBe(true);

    owner.kill('SIGKILL');
    await once(owner, 'exit');
    // Prism notices its closed stdin and exits; give it time, even on a loaded machine, before calling it a leak.
    for (let waited = 0; groupAlive(prismPid) && waited < 60_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(groupAlive(prismPid)).toBe(false);
  });

  it('says so when the port it is given is taken', async () => {
    const error = await startMock({ port: shared.port }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MockStartError);
    expect((error as MockStartError).message).toContain(`Port ${shared.port} on 127.0.0.1 is already in use`);
  });

  it('generates responses from the schemas with dynamic, the same ones for the same seed', async () => {
    const [first, second] = await Promise.all([start({ dynamic: true, seed: 'contract' }), start({ dynamic: true, seed: 'contract' })]);
    const read = async (mock: RunningMock) => (await fetch(`${mock.url}/customers/settings`, { headers: customer })).json();
    const generated = await read(first);
    expect(generated).toEqual(await read(second));
    // The spec's example customer is "Reportei Customer 1"; a generated one is not.
    expect(generated).toMatchObject({ customer: { uuid: expect.any(String), integrations: expect.any(Array) } });
    expect(JSON.stringify(generated)).not.toContain('Reportei Customer 1');
  });

  it('rejects a port out of range before starting anything', async () => {
    await expect(startMock({ port: 70000 })).rejects.toThrow(RangeError);
  });
});

describe('connect-mock', () => {
  it('prints the URL and the headers to send, and stops cleanly on SIGTERM', async () => {
    const port = await findFreePort();
    const job = startJob(process.execPath, [watchSignals, cli, '--port', String(port)]);
    await waitFor(job, 'Press Ctrl-C');
    await waitFor(job, handles('SIGTERM'));
    expect(job.output()).toContain(`listening on http://127.0.0.1:${port}`);
    expect(job.output()).toContain('Authorization: Bearer <any token>');
    expect(job.output()).toContain('x-customer-token: <any token>');

    job.child.kill('SIGTERM');
    const [code] = await job.exit;
    expect(code).toBe(0);
    expect(await canListenOn(port)).toBe(true);
  });

  it('refuses --seed without --dynamic, saying what to add', async () => {
    const child = spawn(process.execPath, [cli, '--seed', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let said = '';
    child.stderr.on('data', (chunk: Buffer) => (said += chunk.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(said).toContain('--seed only changes generated responses: add --dynamic');
  });
});

describe('a JSON body that does not parse', () => {
  // Prism 5.14.2 alone never answers these requests; the mock's guard must, well before this limit
  // (which is only there to turn a hang into a failure, not to measure speed, so it allows for a
  // machine busy with other suites).
  const patience = () => AbortSignal.timeout(60_000);
  const json = { 'content-type': 'application/json' };
  const post = (path: string, headers: Record<string, string>, body: string) =>
    fetch(`${shared.url}${path}`, { method: 'POST', headers: { ...json, ...headers }, body, signal: patience() });

  /** A 422 that names the body, with the rate-limit headers the spec requires on every 422. */
  async function expectBodyRejected(response: Response) {
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('x-ratelimit-limit')).toMatch(/^\d+$/);
    expect(response.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
    const body = await response.json();
    // ValidationError: { message: string, errors: { [field]: string[] } }, nothing else.
    expect(body).toEqual({ message: 'The request body is not valid JSON.', errors: { body: [expect.any(String)] } });
    expect(body.errors.body[0]).toMatch(/^The request body is not valid JSON\. ./);
  }

  it('answers 422 on POST /customers with a merchant token, naming the body', async () => {
    await expectBodyRejected(await post('/customers', merchant, '{bad'));
    await expectBodyRejected(await post('/customers', { ...merchant, 'content-type': 'application/json; charset=utf-8' }, '{"name": '));
    await expectBodyRejected(await post('/customers', merchant, '   '));
  });

  it('answers 401 on POST /customers without a token, as for any request without one', async () => {
    const response = await post('/customers', {}, '{bad');
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ message: expect.any(String) });
  });

  it('answers 422 on every operation that takes a body', async () => {
    const document = JSON.parse(readFileSync(specPath(), 'utf8'));
    const withBody: [string, string][] = [];
    for (const [path, item] of Object.entries<Record<string, { requestBody?: unknown }>>(document.paths)) {
      for (const [method, operation] of Object.entries(item)) if (operation.requestBody) withBody.push([method.toUpperCase(), path]);
    }
    expect(withBody.length).toBeGreaterThanOrEqual(5);
    for (const [method, path] of withBody) {
      const url = `${shared.url}${path.replace(/\{[^}]+\}/g, 'caedbbbe-7d93-476f-b965-bf97cd7ce874')}`;
      const response = await fetch(url, { method, headers: { ...customer, ...json }, body: '{"oops": tru', signal: patience() });
      await expectBodyRejected(response).catch((error: Error) => {
        throw new Error(`${method} ${path}: ${error.message}`);
      });
    }
  });

  it('reads a chunked body too, and still hands bodies that parse to Prism', async () => {
    const chunked = (body: string) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const outgoing = request(`${shared.url}/customers`, { method: 'POST', headers: { ...merchant, ...json }, signal: patience() }, (incoming) => {
          let text = '';
          incoming.on('data', (chunk: Buffer) => (text += chunk.toString()));
          incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, text }));
        });
        outgoing.on('error', reject);
        // Two writes without a content-length: Node sends them with transfer-encoding: chunked.
        outgoing.write(body.slice(0, 3));
        outgoing.end(body.slice(3));
      });
    const rejected = await chunked('{"name": "Acme"');
    expect(rejected.status).toBe(422);
    expect(JSON.parse(rejected.text)).toMatchObject({ message: 'The request body is not valid JSON.' });
    expect((await chunked('{"name": "Acme"}')).status).toBe(201);
    // A body that parses but breaks the schema is still Prism's to judge.
    expect((await post('/customers', merchant, '{"name": 42}')).status).toBe(422);
  });

  it('leaves operations without a body, and paths the spec does not have, to Prism', async () => {
    const remove = await fetch(`${shared.url}/customers/caedbbbe-7d93-476f-b965-bf97cd7ce874`, {
      method: 'DELETE',
      headers: { ...merchant, ...json },
      body: '{bad',
      signal: patience(),
    });
    // Prism refuses any body on an operation that takes none: the same answer as for a body that parses.
    expect(remove.status).toBe(422);
    expect(await remove.json()).not.toMatchObject({ errors: { body: expect.anything() } });
    expect((await post('/nowhere', merchant, '{bad')).status).toBe(404);
  });
});

/**
 * A preload for Prism's process that prints a line once Prism watches its document (chokidar's `ready`,
 * which Prism itself does not report): a change before then goes unseen. Prism's chokidar, found from
 * prism-cli as Prism finds it, is the one patched.
 */
const WATCHING = 'mock test: watching the document';
const prismChokidar = createRequire(createRequire(import.meta.url).resolve('@stoplight/prism-cli/package.json')).resolve('chokidar');
const watchReady = `--import=data:text/javascript,${encodeURIComponent(`import { createRequire } from 'node:module';
const { FSWatcher } = createRequire(${JSON.stringify(prismChokidar)})(${JSON.stringify(prismChokidar)});
const emit = FSWatcher.prototype.emit;
FSWatcher.prototype.emit = function (event, ...args) {
  if (event === 'ready') process.stdout.write(${JSON.stringify(`${WATCHING}\n`)});
  return emit.call(this, event, ...args);
};`)}`;

describe('the JSON body guard, when Prism reloads its document', () => {
  it('still answers a body that does not parse once Prism has reloaded a changed document', async () => {
    // Prism watches its document and serves a changed one from a new server (a rebuild of the spec
    // while `pnpm mock` runs). A copy of the document, so that changing it touches nothing else.
    const dir = await mkdtemp(join(tmpdir(), 'mock-reload-'));
    const document = join(dir, 'openapi.json');
    await copyFile(specPath(), document);
    const port = await findFreePort();
    const prismProcess = fileURLToPath(new URL('../lib/prism-process.cjs', import.meta.url));
    const args = [watchReady, prismProcess, 'mock', document, '--host', '127.0.0.1', '--port', String(port), '--errors', '--multiprocess=false'];
    const prism = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let log = '';
    prism.stdout.on('data', (chunk: Buffer) => (log += chunk));
    prism.stderr.on('data', (chunk: Buffer) => (log += chunk));
    const servers = () => log.split('Prism is listening').length - 1;
    const badBody = () =>
      fetch(`http://127.0.0.1:${port}/customers`, {
        method: 'POST',
        headers: { ...merchant, 'content-type': 'application/json' },
        body: '{bad',
        // Unguarded, Prism never answers: this limit only turns that hang into a failure.
        signal: AbortSignal.timeout(60_000),
      });
    try {
      await vi.waitFor(() => expect(servers(), log).toBe(1), { timeout: 120_000, interval: 50 });
      expect((await badBody()).status).toBe(422);
      // One change, once Prism watches: two changes close together make Prism restart twice at once,
      // and the second restart, finding the port taken or the server closed, can end Prism.
      await vi.waitFor(() => expect(log).toContain(WATCHING), { timeout: 120_000, interval: 50 });
      await appendFile(document, '\n');
      await vi.waitFor(() => expect(servers(), log).toBe(2), { timeout: 120_000, interval: 50 });
      expect(log.split('Restarting Prism').length - 1, log).toBe(1);
      expect((await badBody()).status).toBe(422);
    } finally {
      prism.stdin.end(); // prism-process ends with its standard input
      if (prism.exitCode === null && prism.signalCode === null) await once(prism, 'exit');
      await rm(dir, { recursive: true, force: true });
    }
  });
});
