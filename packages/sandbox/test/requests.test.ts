import { createConnectClient } from '@reportei-connect/client';
import { describe, expect, it, onTestFinished } from 'vitest';
import { hostAllowed } from '../src/http/guard.js';
import { conformingFetch } from './conformance.js';
import { rejection, setup } from './helpers.js';

describe('auth', () => {
  it('answers 401 to a missing or unknown merchant token, with the rate-limit headers', async () => {
    const { call, sandbox, clientFetch } = setup();
    for (const authorization of [undefined, 'Bearer wrong-token', 'Basic abc', 'Bearer']) {
      const response = await clientFetch(`${sandbox.baseUrl}/merchants/settings`, { headers: authorization ? { authorization } : {} });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ message: 'Unauthenticated.' });
      expect(response.headers.get('x-ratelimit-limit')).toBe('6000');
      expect(Number(response.headers.get('x-ratelimit-remaining'))).toBeGreaterThan(0);
    }
    expect((await call('GET', '/merchants/settings')).status).toBe(200);
  });

  it('answers 401 (Invalid Customer Token) to a customer-scoped call without a customer token, or with a wrong one', async () => {
    const { call, connect, sandbox, clientFetch } = setup();
    for (const customerToken of [undefined, '', 'not-a-token', sandbox.merchantToken]) {
      const response = await call('GET', '/customer-integrations', customerToken === undefined ? {} : { customerToken });
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ message: 'Invalid Customer Token' });
    }
    const { customer } = await connect.createCustomer({ name: 'Someone' });
    expect((await call('GET', '/customers/settings', { customerToken: customer.api_token })).status).toBe(200);
    // A customer token is no merchant token.
    const swapped = createConnectClient({ token: customer.api_token, baseUrl: sandbox.baseUrl, fetch: clientFetch, retry: false });
    expect((await rejection(swapped.getMerchantSettings())).status).toBe(401);
  });

  it('accepts the merchant token given as an option, and only it', async () => {
    const { call, sandbox, clientFetch } = setup({ merchantToken: 'my-own-token' });
    expect(sandbox.merchantToken).toBe('my-own-token');
    expect((await call('GET', '/merchants/settings')).status).toBe(200);
    const response = await clientFetch(`${sandbox.baseUrl}/merchants/settings`, { headers: { authorization: 'Bearer sandbox-merchant-token' } });
    expect(response.status).toBe(401);
  });
});

describe('validation', () => {
  it('names the invalid body fields in the documented 422 shape', async () => {
    const { call, connect } = setup();
    const missing = await call('POST', '/customers', { body: {} });
    expect(missing).toMatchObject({ status: 422, body: { message: 'The name field is required.', errors: { name: ['The name field is required.'] } } });
    const wrongType = await call('POST', '/customers', { body: { name: 42 } });
    expect(wrongType.body.errors).toEqual({ name: ['The name field must be a string.'] });
    const tooLong = await call('PUT', `/customers/${(await connect.createCustomer({ name: 'x' })).customer.uuid}`, { body: { name: 'x'.repeat(256) } });
    expect(Object.keys(tooLong.body.errors)).toEqual(['name']);
    const noBody = await call('POST', '/customers');
    expect(noBody.body.errors).toEqual({ name: ['The name field is required.'] });
    const paying = await call('POST', `/customers/${(await connect.createCustomer({ name: 'y' })).customer.uuid}/update-payment-status`, { body: { is_paying: 'yes' } });
    expect(paying.body.errors).toEqual({ is_paying: ['The is paying field must be true or false.'] });
  });

  it('names nested fields with dots, and counts the other errors in the message', async () => {
    const { call, sandbox } = setup();
    const response = await call('POST', '/metrics/get-data', {
      customerToken: sandbox.customerToken,
      body: {
        customer_integration: 'nope',
        start: '2025-02-30',
        metrics: [{ id: 'a', reference_key: 'ig:reach', component: 'gauge_v9', metrics: 'reach' }],
      },
    });
    expect(response.status).toBe(422);
    expect(Object.keys(response.body.errors).sort()).toEqual(['customer_integration', 'end', 'metrics.0.component', 'metrics.0.metrics', 'start']);
    expect(response.body.message).toMatch(/ \(and 4 more errors\)$/);
  });

  it('answers 422 at once, naming the body, when it is not valid JSON', async () => {
    const { call } = setup();
    const response = await call('POST', '/customers', { body: '{"name": "Acme"' });
    expect(response.status).toBe(422);
    expect(Object.keys(response.body.errors)).toEqual(['body']);
    expect(response.body.message).toMatch(/^The request body is not valid JSON/);
    const array = await call('POST', '/customers', { body: '[1]' });
    expect(array.body.errors).toEqual({ body: ['The body field must be an object.'] });
  });

  it('surfaces the field messages on the client error', async () => {
    const { connect } = setup();
    const error = await rejection(connect.listCustomers({ per_page: 500 }));
    expect(error.status).toBe(422);
    expect(error.errors).toEqual({ per_page: ['The per page field must not be greater than 100.'] });
  });
});

describe('statuses', () => {
  it('answers 405 with Allow for a method the path does not take, and 404 for a path the API does not have', async () => {
    const { call, sandbox, clientFetch } = setup();
    const patch = await call('PATCH', '/customers/caedbbbe-7d93-476f-b965-bf97cd7ce874', { body: { name: 'x' } });
    expect(patch.status).toBe(405);
    expect(patch.headers.get('allow')).toBe('GET, PUT, DELETE');
    expect((await call('DELETE', '/merchants/settings')).headers.get('allow')).toBe('GET');
    const unknown = await sandbox.fetch(`${sandbox.baseUrl}/no-such-thing`); // no operation: nothing to check against
    void clientFetch;
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ message: expect.stringContaining('No operation') });
  });

  it('answers 413 to a body over the limit, without reading it', async () => {
    const { call } = setup({ maxBodyBytes: 1000 });
    const response = await call('POST', '/customers', { body: { name: 'x'.repeat(2000) } });
    expect(response.status).toBe(413);
    expect(response.body.message).toContain('1000 bytes');
    expect((await call('POST', '/customers', { body: { name: 'x'.repeat(200) } })).status).toBe(201);
  });

  it('applies the same body limit to the sandbox endpoints, the connect endpoint (no token needed) included', async () => {
    const { sandbox, demo } = setup({ maxBodyBytes: 1000 });
    const { integration_session: session } = await demo.createIntegrationSession({});
    const origin = new URL(sandbox.baseUrl).origin;
    for (const path of ['/__sandbox/clock', `/__sandbox/integration-sessions/${session.session_uuid}/connect`]) {
      const response = await sandbox.fetch(`${origin}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sandbox.merchantToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ integration: 'youtube', source_name: 'x'.repeat(2000) }),
      });
      expect(response.status, path).toBe(413);
      expect((await response.json()).message).toContain('1000 bytes');
    }
  });

  it('answers only documented statuses, with conforming bodies and headers, for every request of this file', async () => {
    // The conformance check runs on every response of every test (see helpers.ts); this makes sure it
    // does catch a response that breaks the spec.
    const checked = conformingFetch(async () => new Response(JSON.stringify({ merchant: { name: 1 } }), { status: 200, headers: { 'content-type': 'application/json' } }));
    await checked.fetch('http://x.invalid/api/merchants/settings');
    await checked.fetch('http://x.invalid/api/merchants/settings', { method: 'DELETE' });
    const problems = checked.violations.map((violation) => violation.problem);
    expect(problems).toEqual(
      expect.arrayContaining([
        'required header X-RateLimit-Limit is missing',
        expect.stringMatching(/^body \/merchant must have required property 'uuid'/),
        expect.stringMatching(/^body \/merchant\/name must be string/),
        'no operation of the spec fits this request',
      ]),
    );
  });
});

describe('browsers', () => {
  it('lets pages of loopback origins call the API and the sandbox endpoints (CORS), on any port', async () => {
    const { sandbox } = setup();
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1:3000', 'http://[::1]:8080', 'https://app.localhost']) {
      for (const path of ['/api/customers', '/__sandbox/clock']) {
        const preflight = await sandbox.fetch(`${new URL(sandbox.baseUrl).origin}${path}`, {
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, x-customer-token' },
        });
        expect(preflight.status, `${origin} ${path}`).toBe(204);
        expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
        expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-customer-token');
      }
    }
  });

  it('refuses pages of other origins with 403 naming --allow-origin, before the API, unless allowed', async () => {
    const { sandbox } = setup({ allowOrigins: ['https://app.example'] });
    const send = (path: string, origin: string, method = 'GET') =>
      sandbox.fetch(`${new URL(sandbox.baseUrl).origin}${path}`, { method, headers: { origin, authorization: `Bearer ${sandbox.merchantToken}`, 'content-type': 'text/plain' }, ...(method === 'POST' && { body: '{"name":"x"}' }) });
    for (const [path, method] of [['/api/customers', 'POST'], ['/api/merchants/settings', 'GET'], ['/__sandbox/reset', 'POST']] as const) {
      const refused = await send(path, 'https://evil.example', method);
      expect(refused.status, path).toBe(403);
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
      expect((await refused.json()).message).toBe('Refused: pages from https://evil.example may not call the sandbox (only loopback origins may); start it with --allow-origin https://evil.example to allow them.');
    }
    expect((await send('/api/merchants/settings', 'null')).status).toBe(403);
    // Nothing was done: no customer was created by the refused POST.
    expect(sandbox.requests()).toEqual([]);
    const allowed = await send('/api/merchants/settings', 'https://app.example');
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example');
  });

  it('answers only Host names of its own over HTTP (DNS rebinding): loopback names, IP addresses and the --host given', async () => {
    const { sandbox } = setup();
    const running = await sandbox.listen({ port: 0 });
    onTestFinished(() => running.close());
    const withHost = async (host: string) => {
      // fetch() sets Host from the URL: a raw request is the only way to send a foreign one.
      const { request } = await import('node:http');
      return new Promise<{ status: number; body: string }>((resolve, reject) => {
        const sent = request({ host: '127.0.0.1', port: running.port, path: '/api/merchants/settings', headers: { host, authorization: `Bearer ${sandbox.merchantToken}` } }, (response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk));
          response.on('end', () => resolve({ status: response.statusCode!, body }));
        });
        sent.on('error', reject);
        sent.end();
      });
    };
    for (const host of [`127.0.0.1:${running.port}`, `localhost:${running.port}`, 'localhost', `[::1]:${running.port}`, `10.0.0.7:${running.port}`]) {
      expect((await withHost(host)).status, host).toBe(200);
    }
    const rebound = await withHost(`attacker.example:${running.port}`);
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body).message).toMatch(/^Refused: the Host header "attacker\.example:\d+" is not a name of this sandbox .*--host attacker\.example\.$/);
    // A name the sandbox listens on (--host) is its own.
    const options = { hosts: new Set(['sandbox.internal']), allowOrigins: [], inProcessHost: 'connect-sandbox.invalid' };
    expect([hostAllowed('sandbox.internal:4011', options), hostAllowed('attacker.example', options)]).toEqual([true, false]);
  });
});

describe('request log', () => {
  it('lists the last requests (method, path, status, operationId), never a token', async () => {
    const { connect, control, sandbox } = setup();
    const { customer } = await connect.createCustomer({ name: 'Logged' });
    await rejection(connect.forCustomer('secret-customer-token').getCustomerSettings());
    const { status, body } = await control('GET', '/requests');
    expect(status).toBe(200);
    expect(body.requests.map(({ method, path, status, operationId }: Record<string, unknown>) => ({ method, path, status, operationId }))).toEqual([
      { method: 'POST', path: '/customers', status: 201, operationId: 'createCustomer' },
      { method: 'GET', path: '/customers/settings', status: 401, operationId: 'getCustomerSettings' },
    ]);
    const text = JSON.stringify(body);
    for (const secret of [sandbox.merchantToken, customer.api_token, 'secret-customer-token']) expect(text).not.toContain(secret);
    expect((await control('GET', '/requests', undefined, 'wrong')).status).toBe(401);
  });
});
