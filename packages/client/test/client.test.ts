import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { listOperations, loadDocument } from '@reportei-connect/spec-model';
import { afterEach, describe, expect, test, vi } from 'vitest';
import {
  ConnectAbortError,
  ConnectConnectionError,
  ConnectError,
  ConnectTimeoutError,
  createConnectClient,
  errorFromResponse,
  paginate,
  retryAfterSeconds,
} from '../src/index.js';
import { type Reply, type Received, type Server, serve } from './server.js';

const TOKEN = 'merchant-secret-token-0123456789';
const CUSTOMER_TOKEN = 'customer-secret-token-9876543210';
/** Retries without real waiting. */
const fast = { retries: 2, minDelayMs: 1, maxDelayMs: 2 };

const servers: Server[] = [];
afterEach(async () => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A loopback server, closed after the test. */
async function server(reply: (request: Received, n: number) => Reply | Promise<Reply>) {
  const started = await serve(reply);
  servers.push(started);
  return started;
}

async function setup(reply: (request: Received, n: number) => Reply | Promise<Reply>, options: Partial<Parameters<typeof createConnectClient>[0]> = {}) {
  const api = await server(reply);
  const connect = createConnectClient({ token: TOKEN, baseUrl: api.baseUrl, retry: fast, ...options });
  return { server: api, connect, acme: connect.forCustomer(CUSTOMER_TOKEN) };
}

/** The rejection of `promise`, which must be a ConnectError. */
async function failure(promise: Promise<unknown>): Promise<ConnectError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ConnectError);
  return error as ConnectError;
}

const page = (current: number, last: number, items: unknown[]) => ({
  body: { data: items, meta: { current_page: current, from: 1, last_page: last, per_page: items.length, to: items.length, total: 99 } },
});

describe('requests', () => {
  test('send the bearer token and put path, query and body fields where the spec says', async () => {
    const { server, connect } = await setup(() => ({ body: { customer: { uuid: 'u1', name: 'Renamed' } } }));
    const result = await connect.updateCustomer({ uuid: 'u 1/2', name: 'Renamed' });
    expect(result).toEqual({ customer: { uuid: 'u1', name: 'Renamed' } });
    await connect.listCustomers({ page: 2, per_page: 50 });
    await connect.getMerchantSettings();
    const [update, list, settings] = server.received;
    expect(update).toMatchObject({ method: 'PUT', url: '/customers/u%201%2F2', body: '{"name":"Renamed"}' });
    expect(update!.headers).toMatchObject({ authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', accept: 'application/json' });
    expect(update!.headers).not.toHaveProperty('x-customer-token');
    expect(list).toMatchObject({ method: 'GET', url: '/customers?page=2&per_page=50', body: '' });
    expect(list!.headers).not.toHaveProperty('content-type');
    expect(settings).toMatchObject({ method: 'GET', url: '/merchants/settings' });
  });

  test('methods work detached from the client', async () => {
    const { server, connect } = await setup(() => page(1, 1, [{ uuid: 'a' }]));
    const { listCustomers } = connect;
    const list = connect.getMerchantSettings;
    await expect(listCustomers()).resolves.toMatchObject({ data: [{ uuid: 'a' }] });
    await list();
    expect(server.received.map((r) => r.url)).toEqual(['/customers', '/merchants/settings']);
  });

  test('forCustomer sends x-customer-token too and has every operation; the merchant client has no customer ones', async () => {
    const { server, connect, acme } = await setup(() => ({ body: { a: { values: 1 } } }));
    const metrics = [{ id: 'a', reference_key: 'ig:reach', component: 'number_v1', metrics: ['reach'] }] as const;
    const result = await acme.getMetricsData({ customer_integration: 'ci', start: '2024-01-01', end: '2024-01-31', metrics });
    expect(result.a.values).toBe(1);
    await acme.getCustomer({ uuid: 'u' });
    expect(server.received[0]!.headers).toMatchObject({ authorization: `Bearer ${TOKEN}`, 'x-customer-token': CUSTOMER_TOKEN });
    expect(JSON.parse(server.received[0]!.body)).toEqual({ customer_integration: 'ci', start: '2024-01-01', end: '2024-01-31', metrics });
    expect(server.received[1]!.headers['x-customer-token']).toBe(CUSTOMER_TOKEN);
    // Every operation of the spec, as @reportei-connect/spec-model reads it: the customer's client has
    // them all, the merchant's only those that need no customer token.
    const operations = listOperations(loadDocument(fileURLToPath(import.meta.resolve('@reportei-connect/openapi/openapi.json'))));
    const merchantOnly = operations.filter((operation) => operation.auth === 'merchant').map((operation) => operation.id);
    expect(merchantOnly.length).toBeGreaterThan(0);
    expect(merchantOnly.length).toBeLessThan(operations.length);
    expect(Object.keys(acme).sort()).toEqual([...operations.map((operation) => operation.id), 'raw'].sort());
    expect(Object.keys(connect).sort()).toEqual([...merchantOnly, 'raw', 'forCustomer'].sort());
  });

  test('a customer-scoped method called on the merchant client throws a TypeError saying to use forCustomer, and sends nothing', async () => {
    const { server, connect } = await setup(() => ({ body: {} }));
    const untyped = connect as unknown as Record<string, (params?: unknown) => unknown>;
    expect(() => untyped.getMetricsData!({ metrics: [] })).toThrow(
      new TypeError('getMetricsData needs the customer token: call connect.forCustomer(customer.api_token).getMetricsData(...) instead.'),
    );
    expect(() => untyped.listCustomerIntegrations!()).toThrow(/^listCustomerIntegrations needs the customer token: call connect\.forCustomer/);
    expect(server.received).toHaveLength(0);
  });

  test('a missing, empty, "." or ".." path field throws a TypeError naming it before any request, in methods and raw', async () => {
    const { server, connect, acme } = await setup(() => ({ body: {} }));
    const message = (field: string) => new RegExp(`: the path field ${field} must be a non-empty string other than "\\." and "\\.\\."`);
    const untyped = connect as unknown as Record<string, (params?: unknown) => Promise<unknown>>;
    for (const params of [undefined, {}, { uuid: '' }, { uuid: '.' }, { uuid: '..' }, { uuid: null }, { uuid: {} }]) {
      await expect(untyped.getCustomer!(params)).rejects.toThrow(TypeError);
      await expect(untyped.deleteCustomer!(params)).rejects.toThrow(message('uuid'));
    }
    await expect(connect.getCustomer({ uuid: '..' })).rejects.toThrow(/^getCustomer: the path field uuid/);
    await expect(acme.deleteCustomerIntegration({ uuid: '.', session_id: 's' })).rejects.toThrow(/^deleteCustomerIntegration: the path field uuid/);
    await expect(connect.raw.GET('/customers/{uuid}', { params: { path: { uuid: '..' } } })).rejects.toThrow(/^GET \/customers\/\{uuid\}: the path field uuid/);
    await expect(connect.raw.DELETE('/customers/{uuid}', {} as never)).rejects.toThrow(message('uuid'));
    expect(server.received).toHaveLength(0);
    // Values that make one segment are fine, numbers and encoded slashes included.
    await connect.getCustomer({ uuid: '...' });
    await connect.getCustomer({ uuid: '../x' });
    await connect.raw.GET('/customers/{uuid}', { params: { path: { uuid: 7 as never } } });
    expect(server.received.map((r) => r.url)).toEqual(['/customers/...', '/customers/..%2Fx', '/customers/7']);
  });

  test('per-call headers are added and override the client headers', async () => {
    const { server, connect } = await setup(() => ({ body: {} }), { headers: { 'X-Trace': 'client', 'X-App': 'demo' } });
    await connect.getCustomer({ uuid: 'u' }, { headers: { 'x-trace': 'call' } });
    expect(server.received[0]!.headers).toMatchObject({ 'x-trace': 'call', 'x-app': 'demo', authorization: `Bearer ${TOKEN}` });
  });

  test('a custom fetch is used for methods and raw, and called unbound as browsers require of window.fetch', async () => {
    const { server } = await setup(() => ({ body: { ok: true } }));
    const calls: unknown[] = [];
    const strictFetch = function (this: unknown, input: RequestInfo | URL, init?: RequestInit) {
      calls.push(this);
      if (this !== undefined) throw new TypeError('Illegal invocation');
      return fetch(input, init);
    };
    const connect = createConnectClient({ token: TOKEN, baseUrl: server.baseUrl, fetch: strictFetch as typeof fetch });
    await expect(connect.getMerchantSettings()).resolves.toEqual({ ok: true });
    await expect(connect.raw.GET('/merchants/settings')).resolves.toMatchObject({ data: { ok: true } });
    expect(calls).toEqual([undefined, undefined]);
  });

  test('an optional body may be left out', async () => {
    const { server, acme } = await setup(() => ({ body: { integration_session: {} } }));
    await acme.createIntegrationSession();
    await acme.createIntegrationSession({ locale: 'pt_br' });
    expect(server.received.map((r) => r.body)).toEqual(['', '{"locale":"pt_br"}']);
  });
});

describe('raw', () => {
  test('is openapi-fetch with the same auth, retries and timeouts', async () => {
    const { server, acme } = await setup((_, n) => (n === 0 ? { status: 503, body: { message: 'busy' } } : { body: { customer: { uuid: 'u' } } }));
    const { data, error, response } = await acme.raw.GET('/customers/{uuid}', { params: { path: { uuid: 'u' } } });
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(data).toEqual({ customer: { uuid: 'u' } });
    expect(server.received).toHaveLength(2);
    for (const request of server.received) {
      expect(request.headers).toMatchObject({ authorization: `Bearer ${TOKEN}`, 'x-customer-token': CUSTOMER_TOKEN });
    }
  });

  test('returns HTTP errors as openapi-fetch does, and throws a ConnectError when no response arrives', async () => {
    const { server, connect } = await setup((request) => (request.method === 'POST' ? { status: 422, body: { message: 'bad', errors: { name: ['required'] } } } : { hang: true }));
    const { error, response } = await connect.raw.POST('/customers', { body: { name: '' } });
    expect(response.status).toBe(422);
    expect(error).toEqual({ message: 'bad', errors: { name: ['required'] } });
    const impatient = createConnectClient({ token: TOKEN, baseUrl: server.baseUrl, timeoutMs: 50, retry: false });
    const timedOut = await failure(impatient.raw.GET('/customers/{uuid}', { params: { path: { uuid: 'c0ffee' } } }));
    expect(timedOut).toBeInstanceOf(ConnectTimeoutError);
    expect(timedOut).toMatchObject({ status: 0, method: 'GET', path: '/customers/{uuid}' });
    expect(timedOut.message).toMatch(/timed out after 50 ms/);
  });

  test.each([
    ['a timeout', 'hang', ConnectTimeoutError],
    ['a connection reset', 'drop', ConnectConnectionError],
  ] as const)('%s while the body is read is a ConnectError, in raw as in the methods', async (_, cut, kind) => {
    const { connect } = await setup(() => ({ body: { merchant: { uuid: 'm', name: 'a name long enough to be cut in two' } }, cut }), { timeoutMs: 500, retry: false });
    for (const call of [() => connect.raw.GET('/merchants/settings'), () => connect.raw.POST('/customers', { body: { name: 'n' } }), () => connect.getMerchantSettings()]) {
      const error = await failure(call());
      expect(error).toBeInstanceOf(kind);
      expect(error.status).toBe(0);
    }
  });

  test('a success that is not JSON is a ConnectError in raw too, not a SyntaxError quoting the body', async () => {
    const { connect } = await setup(() => ({ body: `<html>${TOKEN}</html>` }));
    const error = await failure(connect.raw.GET('/merchants/settings'));
    expect(error).toMatchObject({ status: 200, path: '/merchants/settings', body: '<html>[redacted]</html>' });
    expect(error.message).toBe(
      'GET /merchants/settings answered 200 with application/json that is not JSON (45 characters, starting "<html>[redacted]</html>"): baseUrl is probably not the API, or a proxy answered. Check baseUrl.',
    );
  });

  test('retries a POST body intact', async () => {
    const { server, acme } = await setup((_, n) => (n === 0 ? { status: 500 } : { body: {} }));
    // raw retries by method, so a retried POST needs retry-safe semantics: PUT it is.
    await acme.raw.PUT('/customers/{uuid}', { params: { path: { uuid: 'u' } }, body: { name: 'N' } });
    expect(server.received.map((r) => r.body)).toEqual(['{"name":"N"}', '{"name":"N"}']);
  });
});

describe('retries', () => {
  test.each([408, 429, 500, 502, 503, 504])('retry a GET answered %i', async (status) => {
    const { server, connect } = await setup((_, n) => (n < 2 ? { status, body: { message: 'try again' } } : { body: { merchant: { uuid: 'm' } } }));
    await expect(connect.getMerchantSettings()).resolves.toEqual({ merchant: { uuid: 'm' } });
    expect(server.received).toHaveLength(3);
  });

  test.each([400, 401, 403, 404, 422])('do not retry %i', async (status) => {
    const { server, connect } = await setup(() => ({ status, body: { message: 'no' } }));
    expect(await failure(connect.getCustomer({ uuid: 'u' }))).toMatchObject({ status, message: expect.stringMatching(/^no( — |$)/) });
    expect(server.received).toHaveLength(1);
  });

  test('retry network failures, then fail with status 0', async () => {
    const { server, connect } = await setup(() => ({ drop: true }));
    const error = await failure(connect.deleteCustomer({ uuid: 'u' }));
    expect(error).toMatchObject({ status: 0, method: 'DELETE', path: '/customers/{uuid}' });
    expect(error.message).toMatch(/^DELETE \/customers\/\{uuid\} got no response \(\w+\): check baseUrl http:\/\/127\.0\.0\.1:\d+ and the network\.$/);
    expect(server.received).toHaveLength(3);
  });

  test('give up after `retries` retries with the last error', async () => {
    const { server, connect } = await setup((_, n) => ({ status: 503, body: { message: `busy ${n}` } }), { retry: { retries: 1, minDelayMs: 1, maxDelayMs: 1 } });
    expect(await failure(connect.getMerchantSettings())).toMatchObject({ status: 503, message: 'busy 1' });
    expect(server.received).toHaveLength(2);
  });

  test('never retry a POST, except operations marked x-idempotent such as getMetricsData', async () => {
    const { server, connect, acme } = await setup(() => ({ status: 503, body: { message: 'busy' } }));
    await failure(connect.createCustomer({ name: 'Acme' }));
    await failure(connect.updateCustomerPaymentStatus({ uuid: 'u', is_paying: true }));
    await failure(acme.getMetricsDataAsync({ customer_integration: 'ci', start: 's', end: 'e', metrics: [], metrics_webhook_url: 'https://x.test' }));
    expect(server.received).toHaveLength(3);
    await failure(acme.getMetricsData({ customer_integration: 'ci', start: 's', end: 'e', metrics: [] }));
    expect(server.received).toHaveLength(6);
    expect(new Set(server.received.slice(3).map((r) => r.body)).size).toBe(1);
  });

  test('retry a 429 for any operation, a POST too: the API refused it before doing anything', async () => {
    const { server, connect } = await setup((_, n) => (n === 0 ? { status: 429, headers: { 'retry-after': '0' }, body: { message: 'slow down' } } : { status: 201, body: { customer: { uuid: 'u' } } }));
    await expect(connect.createCustomer({ name: 'Acme' })).resolves.toMatchObject({ customer: { uuid: 'u' } });
    expect(server.received.map((r) => r.body)).toEqual([JSON.stringify({ name: 'Acme' }), JSON.stringify({ name: 'Acme' })]);
  });

  test('retry: false, globally or per call, sends once', async () => {
    const { server, connect } = await setup(() => ({ status: 503 }), { retry: false });
    await failure(connect.getMerchantSettings());
    expect(server.received).toHaveLength(1);
    const other = createConnectClient({ token: TOKEN, baseUrl: server.baseUrl, retry: fast });
    await failure(other.getMerchantSettings(undefined, { retry: false }));
    expect(server.received).toHaveLength(2);
    await failure(other.getMerchantSettings(undefined, { retry: { retries: 4 } }));
    expect(server.received).toHaveLength(7);
  });

  test.each([
    ['seconds', () => '0'],
    ['an HTTP date in the past', () => new Date(Date.now() - 5000).toUTCString()],
  ])('honour Retry-After given as %s', async (_, retryAfter) => {
    const { server, connect } = await setup((_, n) => (n === 0 ? { status: 429, headers: { 'retry-after': retryAfter() }, body: { message: 'slow down' } } : { body: { ok: true } }));
    await expect(connect.getMerchantSettings()).resolves.toEqual({ ok: true });
    expect(server.received).toHaveLength(2);
  });

  test('wait for a Retry-After of up to 60 s instead of the backoff (shown by cancelling the wait)', async () => {
    const controller = new AbortController();
    const { server, connect } = await setup(() => {
      setTimeout(() => controller.abort(), 20);
      return { status: 429, headers: { 'retry-after': '60' }, body: { message: 'slow down' } };
    });
    const error = await failure(connect.getMerchantSettings(undefined, { signal: controller.signal }));
    expect(error.message).toBe('GET /merchants/settings was cancelled by its AbortSignal.');
    expect(server.received).toHaveLength(1);
  });

  test('fail at once on a Retry-After over 60 s given as seconds, with retryAfter set', async () => {
    const { server, connect } = await setup(() => ({ status: 429, headers: { 'retry-after': '61' }, body: { message: 'Too Many Attempts.' } }));
    const error = await failure(connect.getMerchantSettings());
    expect(error).toMatchObject({ status: 429, message: 'Too Many Attempts.', retryAfter: 61 });
    expect(server.received).toHaveLength(1);
  });

  test('fail at once on a Retry-After over 60 s given as an HTTP date, with retryAfter set', async () => {
    // Only Date is faked: the clock stands still, so the date the server sends is exactly an hour ahead.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-01T12:00:00Z'));
    const { server, connect } = await setup(() => ({
      status: 429,
      headers: { 'retry-after': new Date(Date.now() + 3_600_000).toUTCString() },
      body: { message: 'Too Many Attempts.' },
    }));
    const error = await failure(connect.getMerchantSettings());
    expect(error).toMatchObject({ status: 429, message: 'Too Many Attempts.', retryAfter: 3600 });
    expect(server.received).toHaveLength(1);
  });

  test.each(['1.5', '-5', '2026-03-01T12:00:00Z', 'soon'])('ignore a Retry-After of %j and back off as usual', async (retryAfter) => {
    // With a one-minute backoff, a retry can only come from reading the header as "now" (as 1.5 once was, a date in 2001).
    const controller = new AbortController();
    const { server, connect } = await setup(
      () => {
        setTimeout(() => controller.abort(), 100);
        return { status: 503, headers: { 'retry-after': retryAfter }, body: { message: 'busy' } };
      },
      { retry: { retries: 2, minDelayMs: 60_000, maxDelayMs: 60_000 } },
    );
    expect(await failure(connect.getMerchantSettings(undefined, { signal: controller.signal }))).toBeInstanceOf(ConnectAbortError);
    expect(server.received).toHaveLength(1);
    expect(errorFromResponse('GET', '/x', new Response(null, { status: 429, headers: { 'retry-after': retryAfter } }), undefined).retryAfter).toBeUndefined();
  });
});

describe('retryAfterSeconds', () => {
  const now = Date.parse('1994-11-06T08:49:00Z');

  test('reads delay-seconds: digits only', () => {
    expect(retryAfterSeconds('120', now)).toBe(120);
    expect(retryAfterSeconds(' 0 ', now)).toBe(0);
    expect(retryAfterSeconds('007', now)).toBe(7);
  });

  test('reads the three HTTP-date formats of RFC 9110 as seconds from now, a past date being 0', () => {
    expect(retryAfterSeconds('Sun, 06 Nov 1994 08:49:37 GMT', now)).toBe(37);
    expect(retryAfterSeconds('Sunday, 06-Nov-94 08:49:37 GMT', now)).toBe(37);
    expect(retryAfterSeconds('Sun Nov  6 08:49:37 1994', now)).toBe(37);
    expect(retryAfterSeconds('Sun, 06 Nov 1994 08:48:00 GMT', now)).toBe(0);
    expect(retryAfterSeconds(new Date(now + 90_500).toUTCString(), now)).toBe(90);
  });

  test('ignores anything else', () => {
    for (const value of [null, undefined, '', '1.5', '-5', '+5', '1e3', '0x10', 'Infinity', '5 s', '2026-03-01T12:00:00Z', 'Sun, 06 Nov 1994 08:49:37 UTC', '06 Nov 1994 08:49:37 GMT', 'tomorrow']) {
      expect(retryAfterSeconds(value, now)).toBeUndefined();
    }
  });
});

describe('timeouts and cancellation', () => {
  test('abort each attempt after timeoutMs and fail with a status-0 ConnectTimeoutError', async () => {
    // Attempts are counted where the client sends them: on a loaded machine the server may not see an
    // attempt before it times out.
    const attempts: AbortSignal[] = [];
    const counting: typeof fetch = (input, init) => {
      attempts.push(init!.signal!);
      return fetch(input, init);
    };
    const { connect } = await setup(() => ({ hang: true }), { timeoutMs: 30, fetch: counting });
    const error = await failure(connect.getCustomer({ uuid: 'u' }));
    expect(error).toBeInstanceOf(ConnectTimeoutError);
    expect(error).toMatchObject({ name: 'ConnectTimeoutError', status: 0, method: 'GET', path: '/customers/{uuid}' });
    expect(error.message).toBe('GET /customers/{uuid} timed out after 30 ms: raise timeoutMs if the API needs longer.');
    expect(attempts).toHaveLength(3);
    expect(attempts.every((signal) => signal.aborted)).toBe(true);
  });

  test('a per-call timeoutMs overrides the client one', async () => {
    const { connect } = await setup(() => ({ hang: true }));
    const error = await failure(connect.createCustomer({ name: 'x' }, { timeoutMs: 20 }));
    expect(error.message).toMatch(/timed out after 20 ms/);
  });

  test('an already aborted signal sends nothing', async () => {
    const { server, connect } = await setup(() => ({ body: {} }));
    const error = await failure(connect.getMerchantSettings(undefined, { signal: AbortSignal.abort(new Error('stop')) }));
    expect(error).toBeInstanceOf(ConnectAbortError);
    expect(error).toMatchObject({ name: 'ConnectAbortError', status: 0, message: 'GET /merchants/settings was cancelled by its AbortSignal.' });
    expect((error.cause as Error).message).toBe('stop');
    expect(server.received).toHaveLength(0);
  });

  test('aborting during a request cancels it without retrying', async () => {
    const controller = new AbortController();
    const { server, connect } = await setup(() => {
      controller.abort();
      return { hang: true };
    });
    const error = await failure(connect.listCustomers({}, { signal: controller.signal }));
    expect(error.message).toBe('GET /customers was cancelled by its AbortSignal.');
    expect(server.received).toHaveLength(1);
  });

  test('aborting during a backoff wait cancels it', async () => {
    const controller = new AbortController();
    const { server, connect } = await setup(() => {
      setTimeout(() => controller.abort(), 20);
      return { status: 503 };
    }, { retry: { retries: 3, minDelayMs: 60_000, maxDelayMs: 60_000 } });
    const error = await failure(connect.getMerchantSettings(undefined, { signal: controller.signal }));
    expect(error.message).toBe('GET /merchants/settings was cancelled by its AbortSignal.');
    expect(server.received).toHaveLength(1);
  });
});

describe('pagination', () => {
  test('paginate yields every item, following meta.last_page', async () => {
    const { server, connect } = await setup((request) => {
      const current = Number(new URL(request.url, 'http://x').searchParams.get('page'));
      return page(current, 3, [{ uuid: `${current}a` }, { uuid: `${current}b` }]);
    });
    const uuids: string[] = [];
    for await (const customer of paginate(connect.listCustomers, { per_page: 2 })) uuids.push(customer.uuid);
    expect(uuids).toEqual(['1a', '1b', '2a', '2b', '3a', '3b']);
    expect(server.received.map((r) => r.url)).toEqual(['/customers?per_page=2&page=1', '/customers?per_page=2&page=2', '/customers?per_page=2&page=3']);
  });

  test('paginate starts at params.page and stops early when the caller breaks', async () => {
    const { server, acme } = await setup((request) => page(Number(new URL(request.url, 'http://x').searchParams.get('page')), 9, [{ uuid: request.url }]));
    for await (const integration of paginate(acme.listCustomerIntegrations, { page: 4 })) {
      expect(integration.uuid).toBe('/customer-integrations?page=4');
      break;
    }
    expect(server.received).toHaveLength(1);
  });
});

describe('errors', () => {
  test('carry status, server message, body, 422 field errors, templated path and rate limits', async () => {
    const body = { message: 'The name field is required.', errors: { name: ['The name field is required.'] } };
    const { connect } = await setup(() => ({ status: 422, headers: { 'x-ratelimit-limit': '999', 'x-ratelimit-remaining': '998' }, body }));
    const error = await failure(connect.updateCustomer({ uuid: 'c0ffee', name: '' }));
    expect(error).toMatchObject({
      name: 'ConnectError',
      status: 422,
      message: 'The name field is required.',
      body,
      errors: body.errors,
      method: 'PUT',
      path: '/customers/{uuid}',
      rateLimit: { limit: 999, remaining: 998 },
      retryAfter: undefined,
    });
    expect(error).toBeInstanceOf(Error);
    expect(String(error)).toBe('ConnectError: The name field is required.');
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ name: 'ConnectError', message: 'The name field is required.', status: 422 });
  });

  test('explain a response without a JSON message, or a success that is not JSON', async () => {
    const { connect } = await setup((_, n) => (n === 0 ? { status: 502, body: '<html>Bad gateway</html>' } : { body: '<html>not the API</html>' }), { retry: false });
    const gateway = await failure(connect.getMerchantSettings());
    expect(gateway).toMatchObject({ status: 502, body: '<html>Bad gateway</html>', message: 'GET /merchants/settings answered 502 without a JSON message: check baseUrl.' });
    const html = await failure(connect.getMerchantSettings());
    expect(html).toMatchObject({ status: 200, body: '<html>not the API</html>' });
  });

  test('a 401 says which token was refused and where it came from, never the token', async () => {
    const refuse = () => ({ status: 401, body: { message: 'Unauthenticated.' } });
    const { server, connect, acme } = await setup(refuse, { retry: false });
    const fromOption = await failure(connect.getMerchantSettings());
    expect(fromOption.message).toBe(
      `Unauthenticated. — getMerchantSettings: ${server.baseUrl} refused the merchant token (the token option); use that server's merchant API token (the sandbox prints its own).`,
    );
    vi.stubEnv('REPORTEI_CONNECT_TOKEN', TOKEN);
    const fromEnv = await failure(createConnectClient({ baseUrl: server.baseUrl, retry: false }).listCustomers());
    expect(fromEnv.message).toMatch(/^Unauthenticated\. — listCustomers: http:\/\/127\.0\.0\.1:\d+ refused the merchant token \(REPORTEI_CONNECT_TOKEN\); /);
    const customer = await failure(acme.listCustomerIntegrations());
    expect(customer.message).toMatch(
      /^Unauthenticated\. — listCustomerIntegrations: \S+ refused the merchant token \(the token option\) or the customer token given to forCustomer, which is refused too once the customer's trial has ended, until updateCustomerPaymentStatus marks it paying\.$/,
    );
    for (const error of [fromOption, fromEnv, customer]) {
      expect(error).toMatchObject({ status: 401, body: { message: 'Unauthenticated.' } });
      expect(`${error.message}${error.stack}`).not.toContain(TOKEN);
      expect(`${error.message}${error.stack}`).not.toContain(CUSTOMER_TOKEN);
    }
  });

  test('a 404 names the operation and the ids it found nothing for, or says to check baseUrl', async () => {
    const { server, connect } = await setup(() => ({ status: 404, body: { message: 'Record not found' } }), { retry: false });
    const missing = await failure(connect.getCustomer({ uuid: 'caedbbbe-7d93-476f-b965-bf97cd7ce874' }));
    expect(missing).toMatchObject({
      status: 404,
      path: '/customers/{uuid}',
      message: `Record not found — getCustomer found nothing for uuid "caedbbbe-7d93-476f-b965-bf97cd7ce874" at ${server.baseUrl}: check the id.`,
    });
    const nowhere = await failure(connect.getMerchantSettings());
    expect(nowhere.message).toBe(`Record not found — GET /merchants/settings is not at ${server.baseUrl}: check baseUrl.`);
  });

  test('never reveal a token: message, toString, JSON.stringify, util.inspect, stack', async () => {
    const { server, acme } = await setup((request) =>
      request.url === '/customers/settings' ? { status: 401, body: { message: 'Invalid Customer Token' } } : request.url.startsWith('/customers/') ? { hang: true } : { drop: true },
    );
    const leakyFetch: typeof fetch = async (_, init) => {
      throw new Error(`refused request with headers ${JSON.stringify(init?.headers)}`);
    };
    const leaky = createConnectClient({ token: TOKEN, baseUrl: server.baseUrl, fetch: leakyFetch, retry: false }).forCustomer(CUSTOMER_TOKEN);
    const controller = new AbortController();
    controller.abort();
    const errors = await Promise.all([
      failure(acme.getCustomerSettings()),
      failure(acme.getCustomer({ uuid: 'u' }, { timeoutMs: 30 })),
      failure(acme.getMetricsData({ customer_integration: 'ci', start: 's', end: 'e', metrics: [] })),
      failure(acme.getMerchantSettings(undefined, { signal: controller.signal })),
      failure(leaky.getMerchantSettings()),
    ]);
    expect(errors.map((e) => e.status)).toEqual([401, 0, 0, 0, 0]);
    for (const error of errors) {
      for (const text of [error.message, String(error), JSON.stringify(error), inspect(error, { depth: 10, showHidden: true }), error.stack ?? '']) {
        expect(text).not.toContain(TOKEN);
        expect(text).not.toContain(CUSTOMER_TOKEN);
      }
    }
    expect(inspect(acme, { depth: 10, showHidden: true })).not.toContain(TOKEN);
  });

  test('replace the tokens a server quotes in an error response, in every field and form of the error, raw included', async () => {
    const quoting = (request: Received): Reply => {
      const token = request.headers['x-customer-token'] ?? TOKEN;
      if (request.url.startsWith('/customers/settings')) return { status: 401, body: { message: `Invalid token ${token}`, token, nested: [{ [`key ${token}`]: token }] } };
      if (request.url.startsWith('/customers')) return { status: 422, body: { message: 'Invalid.', errors: { [token as string]: [`${token} is taken`, `${TOKEN}/${CUSTOMER_TOKEN}`] } } };
      // Not JSON, and JSON with escaped slashes as PHP writes it: `\/`.
      return request.url.startsWith('/metrics') ? { status: 500, body: `<pre>Bearer ${TOKEN} ${CUSTOMER_TOKEN}</pre>` } : { status: 500, body: `{"message":"${TOKEN.replace('-', '\\/')}"}` };
    };
    const { acme } = await setup(quoting, { retry: false });
    const errors = [
      await failure(acme.getCustomerSettings()),
      await failure(acme.createCustomer({ name: 'x' })),
      await failure(acme.getMetricsData({ customer_integration: 'ci', start: 's', end: 'e', metrics: [] })),
    ];
    expect(errors[0]).toMatchObject({ status: 401, message: expect.stringMatching(/^Invalid token \[redacted\] — getCustomerSettings: \S+ refused the merchant token/), body: { token: '[redacted]', nested: [{ 'key [redacted]': '[redacted]' }] } });
    expect(errors[1]).toMatchObject({ status: 422, errors: { '[redacted]': ['[redacted] is taken', '[redacted]/[redacted]'] } });
    expect(errors[2]).toMatchObject({ status: 500, body: '<pre>Bearer [redacted] [redacted]</pre>' });
    const raw = await acme.raw.GET('/customers/settings');
    const rawError = errorFromResponse('GET', '/customers/settings', raw.response, raw.error);
    expect(rawError.message).toBe('Invalid token [redacted]');
    const merchantOnly = createConnectClient({ token: TOKEN.replace('-', '/'), baseUrl: (await server(quoting)).baseUrl, retry: false });
    const escaped = await failure(merchantOnly.getMerchantSettings());
    expect(escaped.message).toBe('[redacted]');
    for (const error of [...errors, rawError, escaped]) {
      for (const text of [error.message, JSON.stringify(error), inspect(error, { depth: 10, showHidden: true }), error.stack ?? '', JSON.stringify(raw.error)]) {
        for (const token of [TOKEN, CUSTOMER_TOKEN, TOKEN.replace('-', '/'), TOKEN.replace('-', '\\/')]) expect(text).not.toContain(token);
      }
    }
  });

  test('tell status-0 failures apart by class: timeout, cancellation, no connection (with its system code)', async () => {
    const closed = await serve(() => ({ body: {} }));
    await closed.close();
    const refused = await failure(createConnectClient({ token: TOKEN, baseUrl: closed.baseUrl, retry: false }).getMerchantSettings());
    expect(refused).toBeInstanceOf(ConnectConnectionError);
    expect(refused).toMatchObject({ name: 'ConnectConnectionError', status: 0, code: 'ECONNREFUSED' });
    expect(refused.message).toMatch(/^GET \/merchants\/settings got no response \(ECONNREFUSED\): check baseUrl http:\/\/127\.0\.0\.1:\d+ and the network\.$/);

    // A custom fetch may throw anything, the request and its token included: only a string code is kept.
    const leaky = (thrown: unknown): typeof fetch => async () => {
      throw thrown;
    };
    const fromCode = await failure(
      createConnectClient({ token: TOKEN, fetch: leaky(Object.assign(new Error(`Bearer ${TOKEN}`), { code: 'ERR_INVALID_URL' })), retry: false }).getMerchantSettings(),
    );
    expect(fromCode).toMatchObject({ code: 'ERR_INVALID_URL' });
    const fromCause = await failure(createConnectClient({ token: TOKEN, fetch: leaky(new TypeError('fetch failed', { cause: { code: 'ENOTFOUND' } })), retry: false }).getMerchantSettings());
    expect(fromCause).toMatchObject({ code: 'ENOTFOUND' });
    const withoutCode = await failure(createConnectClient({ token: TOKEN, fetch: leaky(`a string with ${TOKEN}`), retry: false }).getMerchantSettings());
    expect(withoutCode).toBeInstanceOf(ConnectConnectionError);
    expect((withoutCode as ConnectConnectionError).code).toBeUndefined();
    const echoingCode = await failure(createConnectClient({ token: TOKEN, fetch: leaky({ code: TOKEN }), retry: false }).getMerchantSettings());
    expect((echoingCode as ConnectConnectionError).code).toBe('[redacted]');
    for (const error of [refused, fromCode, fromCause, withoutCode, echoingCode]) {
      expect(error).not.toBeInstanceOf(ConnectTimeoutError);
      expect(error.cause).toBeUndefined(); // never the error fetch threw, which may hold the request
      expect(inspect(error, { depth: 10, showHidden: true })).not.toContain(TOKEN);
    }
  });
});

describe('redirects', () => {
  /** A server on another port: another origin, which must never see a header or a body of the client. */
  const elsewhere = () => server(() => ({ body: { stolen: true } }));

  test.each([301, 302, 303, 307, 308])('a %i to another origin fails with a ConnectError and sends it nothing, in methods and raw', async (status) => {
    const other = await elsewhere();
    const { server: api, acme } = await setup(() => ({ status, headers: { location: `${other.baseUrl}/steal?x=1` } }), { headers: { 'x-secret': 'custom' } });
    const calls = [
      () => acme.getMetricsData({ customer_integration: 'ci', start: 's', end: 'e', metrics: [] }),
      () => acme.createIntegrationSession({ locale: 'pt_br' }),
      () => acme.getCustomer({ uuid: 'u' }),
      () => acme.deleteCustomer({ uuid: 'u' }),
      () => acme.raw.GET('/customers/settings'),
      () => acme.raw.POST('/customers', { body: { name: 'secret body' } }),
      () => acme.raw.PUT('/customers/{uuid}', { params: { path: { uuid: 'u' } }, body: { name: 'secret body' } }),
    ];
    for (const call of calls) {
      const error = await failure(call());
      expect(error.constructor).toBe(ConnectError);
      expect(error.status).toBe(status);
      expect(error.message).toMatch(new RegExp(`^\\w+ \\S+ answered ${status}, redirecting to ${other.baseUrl.replace(/[.]/g, '\\.')}: up to 5 redirects within ${api.baseUrl.replace(/[.]/g, '\\.')} are followed, never to another origin, so that no token leaves it\\. Set baseUrl to the API's final address\\.$`));
    }
    expect(api.received).toHaveLength(calls.length); // not retried
    expect(other.received).toEqual([]);
  });

  test('a redirect within the origin is followed with the tokens, a 307 or 308 keeping method and body, a 303 turning into a GET', async () => {
    const { server: api, acme } = await setup((request) => {
      if (request.url === '/metrics/get-data') return { status: 307, headers: { location: '/v2/metrics/get-data' } };
      if (request.url === '/customers/u') return { status: 308, headers: { location: `${api.baseUrl}/v2/customers/u` } };
      if (request.url === '/customers') return { status: 303, headers: { location: '/v2/customers/new' } };
      return { body: { at: request.url } };
    });
    const metrics = { customer_integration: 'ci', start: 's', end: 'e', metrics: [] };
    await expect(acme.getMetricsData(metrics)).resolves.toEqual({ at: '/v2/metrics/get-data' });
    await expect(acme.updateCustomer({ uuid: 'u', name: 'N' })).resolves.toEqual({ at: '/v2/customers/u' });
    await expect(acme.raw.PUT('/customers/{uuid}', { params: { path: { uuid: 'u' } }, body: { name: 'R' } })).resolves.toMatchObject({ data: { at: '/v2/customers/u' } });
    await expect(acme.createCustomer({ name: 'C' })).resolves.toEqual({ at: '/v2/customers/new' });
    expect(api.received.map(({ method, url, body }) => `${method} ${url} ${body}`)).toEqual([
      'POST /metrics/get-data {"customer_integration":"ci","start":"s","end":"e","metrics":[]}',
      'POST /v2/metrics/get-data {"customer_integration":"ci","start":"s","end":"e","metrics":[]}',
      'PUT /customers/u {"name":"N"}',
      'PUT /v2/customers/u {"name":"N"}',
      'PUT /customers/u {"name":"R"}',
      'PUT /v2/customers/u {"name":"R"}',
      'POST /customers {"name":"C"}',
      'GET /v2/customers/new ',
    ]);
    for (const request of api.received) expect(request.headers).toMatchObject({ authorization: `Bearer ${TOKEN}`, 'x-customer-token': CUSTOMER_TOKEN });
  });

  test('redirects within the origin are followed 5 times at most', async () => {
    const { server: api, connect } = await setup((_, n) => ({ status: 302, headers: { location: `/loop/${n}` } }));
    const error = await failure(connect.getMerchantSettings());
    expect(error).toMatchObject({ status: 302 });
    expect(error.message).toMatch(/^GET \/merchants\/settings answered 302, redirecting to http:\/\/127\.0\.0\.1:\d+: up to 5 redirects/);
    expect(api.received).toHaveLength(6);
  });

  test('an opaque redirect, which is what a browser answers, fails: its target is hidden', async () => {
    const browserLike: typeof fetch = async (input, init) => {
      expect(init?.redirect).toBe('manual');
      const response = new Response(null, { status: 200 });
      return Object.defineProperties(response, { type: { value: 'opaqueredirect' }, status: { value: 0 } });
    };
    const error = await failure(createConnectClient({ token: TOKEN, fetch: browserLike }).getMerchantSettings());
    expect(error.message).toMatch(/^GET \/merchants\/settings answered 0, redirecting to a location the browser hides: /);
  });
});

describe('configuration', () => {
  test.each([
    ['an empty token', { token: '' }, /token .* must be a non-empty string/],
    ['a token ending with a newline', { token: `${TOKEN}\n` }, /trim what you read/],
    ['a relative baseUrl', { token: TOKEN, baseUrl: '/api' }, /baseUrl must be an http\(s\) URL without credentials, query or fragment, such as https:\/\/connect\.reportei\.com\/api/],
    ['a baseUrl with credentials', { token: TOKEN, baseUrl: 'https://user:pass@example.com' }, /baseUrl must be/],
    ['a non-http baseUrl', { token: TOKEN, baseUrl: 'ftp://example.com' }, /baseUrl must be/],
    ['a baseUrl with a query', { token: TOKEN, baseUrl: 'https://example.com/api?version=2' }, /baseUrl must be .* without credentials, query or fragment/],
    ['a baseUrl with an empty query', { token: TOKEN, baseUrl: 'https://example.com/api?' }, /baseUrl must be/],
    ['a baseUrl with a fragment', { token: TOKEN, baseUrl: 'https://example.com/api#top' }, /baseUrl must be/],
    ['a URL object with a query', { token: TOKEN, baseUrl: new URL('https://example.com/api?v=2') }, /baseUrl must be/],
    ['a zero timeout', { token: TOKEN, timeoutMs: 0 }, /^createConnectClient: timeoutMs must be an integer from 1 to 2147483647 \(milliseconds per attempt\)\.$/],
    ['a fractional timeout', { token: TOKEN, timeoutMs: 1.5 }, /timeoutMs must be an integer/],
    ['an infinite timeout', { token: TOKEN, timeoutMs: Infinity }, /timeoutMs must be/],
    ['a null timeout', { token: TOKEN, timeoutMs: null }, /timeoutMs must be/],
    ['a string timeout', { token: TOKEN, timeoutMs: '1000' }, /timeoutMs must be/],
    ['negative retries', { token: TOKEN, retry: { retries: -1 } }, /^createConnectClient: retry must be false or \{ retries, minDelayMs, maxDelayMs \} with integers, retries from 0 to 10 and 0 <= minDelayMs <= maxDelayMs <= 2147483647 ms\.$/],
    ['fractional retries', { token: TOKEN, retry: { retries: 1.5 } }, /retry must be/],
    ['more than 10 retries', { token: TOKEN, retry: { retries: 11 } }, /retries from 0 to 10/],
    ['a billion retries', { token: TOKEN, retry: { retries: 1e9, minDelayMs: 0, maxDelayMs: 0 } }, /retry must be/],
    ['minDelayMs above maxDelayMs', { token: TOKEN, retry: { minDelayMs: 10, maxDelayMs: 5 } }, /retry must be/],
    ['a negative delay', { token: TOKEN, retry: { minDelayMs: -1 } }, /retry must be/],
    ['a fractional delay', { token: TOKEN, retry: { minDelayMs: 0.5 } }, /retry must be/],
    ['retry: null', { token: TOKEN, retry: null }, /retry must be false or/],
    ['retry: true', { token: TOKEN, retry: true }, /retry must be false or/],
    ['retry: 3', { token: TOKEN, retry: 3 }, /retry must be false or/],
    ['retry: "no"', { token: TOKEN, retry: 'no' }, /retry must be false or/],
  ])('throw at once on %s', (_, options, message) => {
    expect(() => createConnectClient(options as never)).toThrow(message);
  });

  test('never echo a token in a configuration error', () => {
    for (const token of [`${TOKEN} `, `${TOKEN}\u00e9`]) {
      expect(() => createConnectClient({ token })).toThrow(expect.objectContaining({ message: expect.not.stringContaining(TOKEN) }));
    }
  });

  test('forCustomer throws at once on an empty customer token', () => {
    const connect = createConnectClient({ token: TOKEN });
    expect(() => connect.forCustomer('')).toThrow("forCustomer: the customer token (the customer's api_token) must be a non-empty string");
  });

  test('invalid per-call options fail the call with the same messages, before any request', async () => {
    const { server, connect } = await setup(() => ({ body: {} }));
    const where = 'GET /merchants/settings';
    await expect(connect.getMerchantSettings(undefined, { timeoutMs: -1 })).rejects.toThrow(`${where}: timeoutMs must be an integer from 1 to 2147483647 (milliseconds per attempt).`);
    await expect(connect.getMerchantSettings(undefined, { timeoutMs: 1.5 })).rejects.toThrow(TypeError);
    await expect(connect.getMerchantSettings(undefined, { retry: { retries: -2 } })).rejects.toThrow(`${where}: retry must be false or`);
    for (const retry of [null, true, 3, 'no', { retries: 11 }, { retries: 1e9, minDelayMs: 0, maxDelayMs: 0 }, { minDelayMs: 0.5 }]) {
      await expect(connect.getMerchantSettings(undefined, { retry: retry as never })).rejects.toThrow(new RegExp(`^${where}: retry must be false or`));
    }
    expect(server.received).toHaveLength(0);
  });

  test('retry fields left out or undefined take their defaults', async () => {
    const { server } = await setup(() => ({ status: 503 }));
    const connect = createConnectClient({ token: TOKEN, baseUrl: server.baseUrl, retry: { retries: 1, minDelayMs: 1, maxDelayMs: undefined } });
    await failure(connect.getMerchantSettings());
    expect(server.received).toHaveLength(2);
  });

  test('a trailing slash on baseUrl is ignored, and a URL object is accepted', async () => {
    const { server } = await setup(() => ({ body: {} }));
    await createConnectClient({ token: TOKEN, baseUrl: `${server.baseUrl}/api//` }).getMerchantSettings();
    await createConnectClient({ token: TOKEN, baseUrl: new URL('/v1', server.baseUrl) }).getCustomer({ uuid: 'u' });
    await createConnectClient({ token: TOKEN, baseUrl: new URL(server.baseUrl) }).raw.GET('/merchants/settings');
    expect(server.received.map((r) => r.url)).toEqual(['/api/merchants/settings', '/v1/customers/u', '/merchants/settings']);
  });

  test('without token or baseUrl, read REPORTEI_CONNECT_TOKEN and REPORTEI_CONNECT_BASE_URL', async () => {
    const { server } = await setup(() => ({ body: {} }));
    vi.stubEnv('REPORTEI_CONNECT_TOKEN', 'env-token');
    vi.stubEnv('REPORTEI_CONNECT_BASE_URL', `${server.baseUrl}/from-env`);
    await createConnectClient().getMerchantSettings();
    await createConnectClient({ token: TOKEN, baseUrl: server.baseUrl }).getMerchantSettings();
    expect(server.received.map((r) => `${r.url} ${r.headers.authorization}`)).toEqual([
      '/from-env/merchants/settings Bearer env-token',
      `/merchants/settings Bearer ${TOKEN}`,
    ]);
  });

  test('without a token anywhere, throw at once naming the option and the variable', () => {
    vi.stubEnv('REPORTEI_CONNECT_TOKEN', undefined);
    vi.stubEnv('REPORTEI_CONNECT_BASE_URL', undefined);
    const message = 'createConnectClient: token (the merchant API token, or REPORTEI_CONNECT_TOKEN) must be a non-empty string';
    expect(() => createConnectClient()).toThrow(message);
    expect(() => createConnectClient({})).toThrow(message);
    vi.stubEnv('REPORTEI_CONNECT_TOKEN', '');
    expect(() => createConnectClient({ baseUrl: 'http://127.0.0.1:4010' })).toThrow(message);
  });

  test('an empty REPORTEI_CONNECT_BASE_URL means the default; an invalid one is reported', () => {
    vi.stubEnv('REPORTEI_CONNECT_TOKEN', TOKEN);
    vi.stubEnv('REPORTEI_CONNECT_BASE_URL', '');
    expect(() => createConnectClient()).not.toThrow();
    vi.stubEnv('REPORTEI_CONNECT_BASE_URL', 'connect.reportei.com');
    expect(() => createConnectClient()).toThrow(/baseUrl must be an http\(s\) URL/);
  });
});
