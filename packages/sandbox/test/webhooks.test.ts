// getMetricsDataAsync's webhook, delivered to loopback receivers: payload, retries, failures, the
// record of attempts, flush() and close(). Waits on real servers are generous and never timed.
import { spawn } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseMetricsWebhook } from '@reportei-connect/client/webhooks';
import { metric } from '@reportei-connect/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WebhookDelivery, WebhookTimers } from '../src/index.js';
import { operations, validator } from './conformance.js';
import { setup } from './helpers.js';

const WAIT = { timeout: 60_000, interval: 20 };

/** The schema of the body the spec's metricsReady callback POSTs. */
const callbackSchema = operations.find((operation) => operation.id === 'getMetricsDataAsync')!.callbackOperations.find((callback) => callback.callback === 'metricsReady')!
  .requestBody!.schemaPointer;

interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((done) => {
          server.closeAllConnections();
          server.close(() => done());
        }),
    ),
  );
});

/** A loopback webhook receiver; `answer` gives the status of the n-th request (from 1), or `hang` to never answer. */
async function receiver(answer: (count: number) => number | 'hang' = () => 204) {
  const received: Received[] = [];
  const server = createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    received.push({ method: request.method!, path: request.url!, headers: request.headers, body });
    const status = answer(received.length);
    if (status !== 'hang') response.writeHead(status).end();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/job-42`, received };
}

/** A loopback port nothing listens on: connections to it are refused at once. */
async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/hook`;
}

const metricsRequest = (integration: string) => ({
  customer_integration: integration,
  start: '2025-01-01',
  end: '2025-01-31',
  metrics: [metric('ig:reach', { id: 'reach' }), metric('ig:reach_over_time', { id: 'daily' }), metric('ig:followers_gender', { id: 'gender' })],
});

async function deliveriesOver(control: ReturnType<typeof setup>['control']): Promise<WebhookDelivery[]> {
  const { status, body } = await control('GET', '/webhook-deliveries');
  expect(status).toBe(200);
  return body.data;
}

/** Timers that run only when told: records every wait asked for. */
function manualTimers() {
  let now = 0;
  let nextId = 1;
  const pending = new Map<number, { callback: () => void; due: number; ms: number }>();
  const timers: WebhookTimers = {
    now: () => now,
    setTimeout: (callback, ms) => {
      pending.set(nextId, { callback, due: now + ms, ms });
      return nextId++;
    },
    clearTimeout: (id) => void pending.delete(id as number),
  };
  /** Runs the earliest timer, moving time to it; answers the wait it had been set for. */
  const fireNext = () => {
    const [id, timer] = [...pending.entries()].sort((a, b) => a[1].due - b[1].due)[0]!;
    pending.delete(id);
    now = timer.due;
    timer.callback();
    return timer.ms;
  };
  return { timers, pending, fireNext };
}

describe('the metrics webhook', () => {
  it("POSTs the results, as the spec's callback says, to metrics_webhook_url after the delay, and records the delivery", async () => {
    const hook = await receiver();
    // The default delay, on timers that this test runs (instead of waiting a real second); the POST is real.
    const { timers, pending, fireNext } = manualTimers();
    const { demo, sandbox, control } = setup({ webhooks: { timers } });
    const request = metricsRequest(sandbox.integration);
    expect(await demo.getMetricsDataAsync({ ...request, metrics_webhook_url: hook.url })).toEqual({ message: 'Metrics are being processed and will be sent to the webhook' });
    expect(sandbox.webhooks.deliveries()).toEqual([expect.objectContaining({ status: 'pending', url: hook.url, attempts: [] })]);
    expect([...pending.values()].map(({ ms }) => ms)).toEqual([1000]);

    expect(fireNext()).toBe(1000);
    await vi.waitFor(() => expect(sandbox.webhooks.deliveries()[0]!.status).toBe('delivered'), WAIT);
    expect(hook.received).toHaveLength(1);
    const [post] = hook.received;
    expect(post).toMatchObject({ method: 'POST', path: '/hooks/job-42' });
    expect(post!.headers['content-type']).toBe('application/json');
    // The payload passes the client's parser and the callback's schema, and is what getMetricsData answers.
    const parsed = parseMetricsWebhook(post!.body);
    expect(Object.keys(parsed)).toEqual(['reach', 'daily', 'gender']);
    expect(validator.validate(callbackSchema, JSON.parse(post!.body))).toEqual([]);
    expect(parsed).toEqual(await demo.getMetricsData(request));

    const [delivery] = await deliveriesOver(control);
    expect(delivery).toEqual({
      id: expect.any(String),
      callback: 'metricsReady',
      url: hook.url,
      status: 'delivered',
      payload: parsed,
      customer: sandbox.demo.uuid,
      customerIntegration: sandbox.integration,
      createdAt: expect.any(String),
      nextAttemptAt: null,
      attempts: [{ at: expect.any(String), status: 204, error: null, durationMs: expect.any(Number) }],
      error: null,
    });
  });

  it('retries a non-2xx answer with backoff, and delivers', async () => {
    const hook = await receiver((count) => (count === 1 ? 500 : 200));
    const { demo, sandbox, control } = setup({ webhooks: { delayMs: 0, retryDelayMs: 20 } });
    await demo.getMetricsDataAsync({ ...metricsRequest(sandbox.integration), metrics_webhook_url: hook.url });
    await vi.waitFor(() => expect(sandbox.webhooks.deliveries()[0]!.status).toBe('delivered'), WAIT);
    const [delivery] = await deliveriesOver(control);
    expect(delivery!.attempts.map(({ status, error }) => ({ status, error }))).toEqual([
      { status: 500, error: null },
      { status: 200, error: null },
    ]);
    expect(hook.received).toHaveLength(2);
    expect(hook.received.map(({ headers }) => headers['x-sandbox-attempt'])).toEqual(['1', '2']);
    expect(hook.received[1]!.body).toBe(hook.received[0]!.body);
    expect(() => parseMetricsWebhook(hook.received[1]!.body)).not.toThrow();
  });

  it('fails after its attempts when the URL cannot be reached, recording each, newest delivery first', async () => {
    const unreachable = await refusedUrl();
    const hook = await receiver();
    const { demo, sandbox, control } = setup({ webhooks: { delayMs: 0, retryDelayMs: 10, attempts: 3 } });
    await demo.getMetricsDataAsync({ ...metricsRequest(sandbox.integration), metrics_webhook_url: unreachable });
    await vi.waitFor(() => expect(sandbox.webhooks.deliveries()[0]!.status).toBe('failed'), WAIT);
    await demo.getMetricsDataAsync({ ...metricsRequest(sandbox.integration), metrics_webhook_url: hook.url });
    await vi.waitFor(() => expect(sandbox.webhooks.deliveries()[0]!.status).toBe('delivered'), WAIT);

    const [newest, failed] = await deliveriesOver(control);
    expect(newest!.url).toBe(hook.url);
    expect(failed).toMatchObject({ url: unreachable, status: 'failed', nextAttemptAt: null, error: 'Not delivered after 3 attempts.' });
    expect(failed!.attempts).toHaveLength(3);
    for (const attempt of failed!.attempts) expect(attempt).toEqual({ at: expect.any(String), status: null, error: expect.stringMatching(/ECONNREFUSED/), durationMs: expect.any(Number) });
  });

  it('abandons an attempt that gets no answer in time, as a failed attempt', async () => {
    const hook = await receiver(() => 'hang');
    // The receiver never answers, so any limit is reached: a short one keeps the test short.
    const { demo, sandbox } = setup({ webhooks: { delayMs: 0, retryDelayMs: 10, attempts: 2, timeoutMs: 100 } });
    await demo.getMetricsDataAsync({ ...metricsRequest(sandbox.integration), metrics_webhook_url: hook.url });
    await vi.waitFor(() => expect(sandbox.webhooks.deliveries()[0]!.status).toBe('failed'), WAIT);
    expect(sandbox.webhooks.deliveries()[0]!.attempts.map(({ status, error }) => ({ status, error }))).toEqual([
      { status: null, error: 'Timed out after 100 ms without an answer.' },
      { status: null, error: 'Timed out after 100 ms without an answer.' },
    ]);
  });

  it('flush() makes the next attempt of every pending delivery at once, in-process and over POST /__sandbox/webhook-deliveries/flush', async () => {
    const hook = await receiver((count) => (count === 1 ? 503 : 204));
    // Nothing is due for an hour: only flush() delivers.
    const { demo, sandbox, control } = setup({ webhooks: { delayMs: 3_600_000, retryDelayMs: 3_600_000 } });
    await demo.getMetricsDataAsync({ ...metricsRequest(sandbox.integration), metrics_webhook_url: hook.url });
    const [first] = await sandbox.webhooks.flush();
    expect(first).toMatchObject({ status: 'pending', attempts: [{ status: 503 }], nextAttemptAt: expect.any(String) });
    const flushed = await control('POST', '/webhook-deliveries/flush');
    expect(flushed.status).toBe(200);
    expect(flushed.body.data[0]).toMatchObject({ status: 'delivered', attempts: [{ status: 503 }, { status: 204 }], nextAttemptAt: null });
    expect(await sandbox.webhooks.flush()).toEqual(flushed.body.data);
    expect(hook.received).toHaveLength(2);
  });

  it('needs the merchant token for the deliveries, and a reset forgets them', async () => {
    const { demo, sandbox, control } = setup({ webhooks: { delayMs: 3_600_000 } });
    await demo.getMetricsDataAsync({ ...metricsRequest(sandbox.integration), metrics_webhook_url: 'http://127.0.0.1:9/hook' });
    expect((await control('GET', '/webhook-deliveries', undefined, 'wrong')).status).toBe(401);
    expect(await deliveriesOver(control)).toHaveLength(1);
    await control('POST', '/reset');
    expect(await deliveriesOver(control)).toEqual([]);
  });

  it('close() cancels pending deliveries, the one under way included', async () => {
    const hanging = await receiver(() => 'hang');
    const { demo, sandbox } = setup({ webhooks: { delayMs: 0, timeoutMs: 600_000 } });
    await demo.getMetricsDataAsync({ ...metricsRequest(sandbox.integration), metrics_webhook_url: hanging.url });
    await vi.waitFor(() => expect(hanging.received).toHaveLength(1), WAIT);
    const waiting = setup({ webhooks: { delayMs: 3_600_000 } });
    await waiting.demo.getMetricsDataAsync({ ...metricsRequest(waiting.sandbox.integration), metrics_webhook_url: hanging.url });

    await Promise.all([sandbox.close(), waiting.sandbox.close()]);
    expect(sandbox.webhooks.deliveries()[0]).toMatchObject({
      status: 'failed',
      error: 'Cancelled: the sandbox was closed.',
      attempts: [{ status: null, error: 'Cancelled: the sandbox was closed.' }],
    });
    expect(waiting.sandbox.webhooks.deliveries()[0]).toMatchObject({ status: 'failed', error: 'Cancelled: the sandbox was closed.', attempts: [] });
    expect(hanging.received).toHaveLength(1);
  });
});

describe('the retry schedule (injected timers)', () => {
  it('waits the delay, then retries after 1, 2 and 4 seconds (4 attempts in all), each attempt limited to 5 seconds', async () => {
    const { timers, pending, fireNext } = manualTimers();
    const posts: { url: string; signal: AbortSignal }[] = [];
    const failing = (async (url: string, init: RequestInit) => {
      posts.push({ url, signal: init.signal! });
      return new Response('no', { status: 500 });
    }) as typeof fetch;
    const { demo, sandbox } = setup({ webhooks: { timers, fetch: failing } });
    await demo.getMetricsDataAsync({ ...metricsRequest(sandbox.integration), metrics_webhook_url: 'https://merchant.example/hook' });

    const waits: number[] = [];
    const attempts = () => sandbox.webhooks.deliveries()[0]!.attempts.length;
    while (sandbox.webhooks.deliveries()[0]!.status === 'pending') {
      expect([...pending.values()].map(({ ms }) => ms)).toHaveLength(1);
      const before = attempts();
      waits.push(fireNext());
      // The attempt's own timeout timer is set while it runs, and cleared when it is answered.
      await vi.waitFor(() => expect(attempts()).toBe(before + 1), WAIT);
    }
    expect(waits).toEqual([1000, 1000, 2000, 4000]);
    expect(posts).toHaveLength(4);
    expect(pending.size).toBe(0);
    expect(sandbox.webhooks.deliveries()[0]).toMatchObject({ status: 'failed', error: 'Not delivered after 4 attempts.' });
  });

  it('aborts an attempt when its timeout fires, and schedules the retry', async () => {
    const { timers, pending, fireNext } = manualTimers();
    const hanging = ((_url: string, init: RequestInit) =>
      new Promise<Response>((_resolve, reject) => init.signal!.addEventListener('abort', () => reject(init.signal!.reason)))) as typeof fetch;
    const { demo, sandbox } = setup({ webhooks: { timers, fetch: hanging, delayMs: 0 } });
    await demo.getMetricsDataAsync({ ...metricsRequest(sandbox.integration), metrics_webhook_url: 'https://merchant.example/hook' });
    expect(fireNext()).toBe(0); // the first attempt starts and hangs
    await vi.waitFor(() => expect([...pending.values()].map(({ ms }) => ms)).toEqual([5000]), WAIT);
    expect(fireNext()).toBe(5000); // its timeout
    await vi.waitFor(() => expect(sandbox.webhooks.deliveries()[0]!.attempts).toHaveLength(1), WAIT);
    expect(sandbox.webhooks.deliveries()[0]).toMatchObject({ status: 'pending', attempts: [{ status: null, error: 'Timed out after 5000 ms without an answer.', durationMs: 5000 }] });
    expect([...pending.values()].map(({ ms }) => ms)).toEqual([1000]);
  });
});

describe('stopping the sandbox', () => {
  it('lets the process exit with deliveries pending and under way, failing them quietly', async () => {
    const hanging = await receiver(() => 'hang');
    const unreachable = await refusedUrl();
    const script = fileURLToPath(new URL('./fixtures/webhook-exit.mjs', import.meta.url));
    const child = spawn(process.execPath, [script, hanging.url, unreachable], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      // Once the hanging receiver holds an attempt and the other delivery waits for its retry, stop.
      await vi.waitFor(() => {
        expect(hanging.received).toHaveLength(1);
        expect(stdout).toContain('waiting\n');
      }, WAIT);
      child.stdin.end('stop\n');
      // The child neither exits nor kills itself: it must end on its own once the sandbox is closed.
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    expect(stderr).toBe('');
    const deliveries = JSON.parse(stdout.slice(stdout.indexOf('waiting\n') + 'waiting\n'.length)) as WebhookDelivery[];
    expect(deliveries.map(({ url, status, error }) => ({ url, status, error }))).toEqual([
      { url: unreachable, status: 'failed', error: 'Cancelled: the sandbox was closed.' },
      { url: hanging.url, status: 'failed', error: 'Cancelled: the sandbox was closed.' },
    ]);
    expect(deliveries[0]!.attempts).toEqual([expect.objectContaining({ status: null, error: expect.stringMatching(/ECONNREFUSED/) })]);
    expect(deliveries[1]!.attempts).toEqual([expect.objectContaining({ status: null, error: 'Cancelled: the sandbox was closed.' })]);
  }, 120_000);
});
