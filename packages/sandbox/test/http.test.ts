import { createConnectClient, paginate } from '@reportei-connect/client';
import { metric } from '@reportei-connect/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSandbox, type RunningSandbox, type Sandbox } from '../src/index.js';
import { conformingFetch } from './conformance.js';
import { rejection } from './helpers.js';

const started: { sandbox: Sandbox; running: RunningSandbox[] }[] = [];
afterEach(async () => {
  for (const { sandbox, running } of started.splice(0)) {
    await Promise.all(running.map((listener) => listener.close()));
    await sandbox.close();
  }
});

async function listening(options?: Parameters<typeof createSandbox>[0]) {
  const sandbox = createSandbox(options);
  const running = await sandbox.listen({ port: 0 });
  started.push({ sandbox, running: [running] });
  const checked = conformingFetch(fetch);
  return { sandbox, running, checked };
}

describe('over HTTP', () => {
  it('serves the API under /api on a free port, to the client and to plain fetch, sharing state with the in-process fetch', async () => {
    const { sandbox, running, checked } = await listening();
    expect(running.url).toBe(`http://127.0.0.1:${running.port}`);
    expect(running.baseUrl).toBe(`${running.url}/api`);

    const connect = createConnectClient({ token: sandbox.merchantToken, baseUrl: running.baseUrl, fetch: checked.fetch, retry: false });
    const { customer } = await connect.createCustomer({ name: 'Over HTTP' });
    // The in-process fetch sees the same state.
    const inProcess = createConnectClient({ token: sandbox.merchantToken, baseUrl: sandbox.baseUrl, fetch: sandbox.fetch });
    expect((await inProcess.getCustomer({ uuid: customer.uuid })).customer.name).toBe('Over HTTP');

    const names: string[] = [];
    for await (const each of paginate(connect.listCustomers, { per_page: 1 })) names.push(each.name);
    expect(names).toEqual(['Demo Customer', 'Over HTTP']);
    expect((await connect.listCustomers()).meta.path).toBe(`${running.baseUrl}/customers`);

    const demo = connect.forCustomer(sandbox.customerToken);
    const result = await demo.getMetricsData({ customer_integration: sandbox.integration, start: '2025-01-01', end: '2025-01-31', metrics: [metric('ig:reach', { id: 'reach' })] });
    expect(result.reach?.values).toEqual(expect.any(Number));
    const { integration_session: session } = await demo.createIntegrationSession({});
    expect(session.session_link).toBe(`${running.url}/customer-integrations/session/${session.session_uuid}`);

    // As curl would: raw requests, raw bodies.
    const raw = await checked.fetch(`${running.baseUrl}/customers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sandbox.merchantToken}`, 'content-type': 'application/json' },
      body: '{"name": "curl"}',
    });
    expect(raw.status).toBe(201);
    const broken = await checked.fetch(`${running.baseUrl}/customers`, { method: 'POST', headers: { authorization: `Bearer ${sandbox.merchantToken}` }, body: '{' });
    expect(broken.status).toBe(422);
    const huge = await checked.fetch(`${running.baseUrl}/metrics/get-data`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sandbox.merchantToken}`, 'x-customer-token': sandbox.customerToken },
      body: 'x'.repeat(2 * 1024 * 1024),
    });
    expect(huge.status).toBe(413);
    const clock = await fetch(`${running.url}/__sandbox/clock`, { headers: { authorization: `Bearer ${sandbox.merchantToken}` } });
    expect(await clock.json()).toEqual({ now: expect.any(String) });
    expect((await fetch(`${running.url}/`)).status).toBe(404);
    expect(checked.violations).toEqual([]);
  });

  it('reset closes the connection (the client retries), and timeout holds it until the client gives up', async () => {
    const { sandbox, running } = await listening();
    const headers = { authorization: `Bearer ${sandbox.merchantToken}` };
    const reset = await rejection(fetch(`${running.baseUrl}/customers`, { headers: { ...headers, 'x-sandbox-fault': 'reset' } }));
    expect(reset).toBeInstanceOf(TypeError);
    expect(reset.message).toBe('fetch failed');

    let faults = ['reset', 'timeout'];
    const flaky = (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      const fault = faults.shift();
      if (fault) request.headers.set('x-sandbox-fault', fault);
      return fetch(request);
    };
    const client = createConnectClient({ token: sandbox.merchantToken, baseUrl: running.baseUrl, fetch: flaky as typeof fetch, timeoutMs: 300, retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5 } });
    expect((await client.listCustomers()).meta.total).toBe(1);
    expect(sandbox.requests().map((record) => record.fault ?? record.status)).toEqual(['reset', 'reset', 'timeout', 200]);
    faults = [];
  });

  it('close() drops hung requests and frees the port', async () => {
    const { sandbox, running } = await listening();
    const hung = fetch(`${running.baseUrl}/customers`, { headers: { authorization: `Bearer ${sandbox.merchantToken}`, 'x-sandbox-fault': 'timeout' } });
    await vi.waitFor(() => expect(sandbox.requests().some((record) => record.fault === 'timeout')).toBe(true), { timeout: 60_000, interval: 10 });
    await running.close();
    expect(await rejection(hung)).toBeInstanceOf(TypeError);
    expect(await rejection(fetch(`${running.baseUrl}/customers`))).toBeInstanceOf(TypeError);
    // The port is free again.
    const again = await sandbox.listen({ port: running.port });
    started.at(-1)!.running.push(again);
    expect(again.port).toBe(running.port);
  });

  it('rejects listen() on a port in use', async () => {
    const { sandbox, running } = await listening();
    const error = await rejection(sandbox.listen({ port: running.port }));
    expect(error.code).toBe('EADDRINUSE');
  });
});
