import { inspect } from 'node:util';
import { afterEach, describe, expect, test } from 'vitest';
import { ConnectError, createConnectClient, paginate } from '../src/index.js';
import { type Reply, type Received, type Server, serve } from './server.js';

const TOKEN = 'merchant-secret-token-0123456789';
const CUSTOMER_TOKEN = 'customer-secret-token-9876543210';
/** Retries without real waiting. */
const fast = { retries: 2, minDelayMs: 1, maxDelayMs: 2 };

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function setup(reply: (request: Received, n: number) => Reply | Promise<Reply>, options: Partial<Parameters<typeof createConnectClient>[0]> = {}) {
  const server = await serve(reply);
  servers.push(server);
  const connect = createConnectClient({ token: TOKEN, baseUrl: server.baseUrl, retry: fast, ...options });
  return { server, connect, acme: connect.forCustomer(CUSTOMER_TOKEN) };
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
    for (const id of ['getCustomerSettings', 'listCustomerIntegrations', 'createIntegrationSession', 'getCustomerIntegration', 'deleteCustomerIntegration', 'getMetricsData', 'getMetricsDataAsync']) {
      expect(connect).not.toHaveProperty(id);
      expect(acme).toHaveProperty(id);
    }
    expect(Object.keys(acme)).toHaveLength(15); // 14 operations and raw
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
    const timedOut = await failure(impatient.raw.GET('/merchants/settings'));
    expect(timedOut).toMatchObject({ status: 0, method: 'GET', path: '/merchants/settings' });
    expect(timedOut.message).toMatch(/timed out after 50 ms/);
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
    expect(await failure(connect.getCustomer({ uuid: 'u' }))).toMatchObject({ status, message: 'no' });
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
    ['seconds', '0'],
    ['an HTTP date in the past', new Date(Date.now() - 5000).toUTCString()],
  ])('honour Retry-After given as %s', async (_, retryAfter) => {
    const { server, connect } = await setup((_, n) => (n === 0 ? { status: 429, headers: { 'retry-after': retryAfter }, body: { message: 'slow down' } } : { body: { ok: true } }));
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

  test.each([
    ['seconds', '61', 61],
    ['an HTTP date', new Date(Date.now() + 3_600_000).toUTCString(), 3600],
  ])('fail at once on a Retry-After over 60 s given as %s, with retryAfter set', async (_, retryAfter, seconds) => {
    const { server, connect } = await setup(() => ({ status: 429, headers: { 'retry-after': retryAfter }, body: { message: 'Too Many Attempts.' } }));
    const error = await failure(connect.getMerchantSettings());
    expect(error).toMatchObject({ status: 429, message: 'Too Many Attempts.' });
    expect(error.retryAfter).toBeGreaterThanOrEqual(seconds - 1);
    expect(error.retryAfter).toBeLessThanOrEqual(seconds);
    expect(server.received).toHaveLength(1);
  });
});

describe('timeouts and cancellation', () => {
  test('abort each attempt after timeoutMs and fail with status 0', async () => {
    const { server, connect } = await setup(() => ({ hang: true }), { timeoutMs: 30 });
    const error = await failure(connect.getCustomer({ uuid: 'u' }));
    expect(error).toMatchObject({ status: 0, method: 'GET', path: '/customers/{uuid}' });
    expect(error.message).toBe('GET /customers/{uuid} timed out after 30 ms: raise timeoutMs if the API needs longer.');
    expect(server.received).toHaveLength(3);
  });

  test('a per-call timeoutMs overrides the client one', async () => {
    const { connect } = await setup(() => ({ hang: true }));
    const error = await failure(connect.createCustomer({ name: 'x' }, { timeoutMs: 20 }));
    expect(error.message).toMatch(/timed out after 20 ms/);
  });

  test('an already aborted signal sends nothing', async () => {
    const { server, connect } = await setup(() => ({ body: {} }));
    const error = await failure(connect.getMerchantSettings(undefined, { signal: AbortSignal.abort(new Error('stop')) }));
    expect(error).toMatchObject({ status: 0, message: 'GET /merchants/settings was cancelled by its AbortSignal.' });
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
});

describe('configuration', () => {
  test.each([
    ['no options', undefined, /token \(the merchant API token\) must be a non-empty string/],
    ['an empty token', { token: '' }, /token .* must be a non-empty string/],
    ['a token ending with a newline', { token: `${TOKEN}\n` }, /trim what you read/],
    ['a relative baseUrl', { token: TOKEN, baseUrl: '/api' }, /baseUrl must be an http\(s\) URL without credentials, such as https:\/\/connect\.reportei\.com\/api/],
    ['a baseUrl with credentials', { token: TOKEN, baseUrl: 'https://user:pass@example.com' }, /baseUrl must be/],
    ['a non-http baseUrl', { token: TOKEN, baseUrl: 'ftp://example.com' }, /baseUrl must be/],
    ['a zero timeout', { token: TOKEN, timeoutMs: 0 }, /timeoutMs must be 1 to 2147483647 ms/],
    ['an infinite timeout', { token: TOKEN, timeoutMs: Infinity }, /timeoutMs must be/],
    ['negative retries', { token: TOKEN, retry: { retries: -1 } }, /retry must be false or \{ retries >= 0, 0 <= minDelayMs <= maxDelayMs \}/],
    ['fractional retries', { token: TOKEN, retry: { retries: 1.5 } }, /retry must be/],
    ['minDelayMs above maxDelayMs', { token: TOKEN, retry: { minDelayMs: 10, maxDelayMs: 5 } }, /retry must be/],
    ['a negative delay', { token: TOKEN, retry: { minDelayMs: -1 } }, /retry must be/],
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

  test('invalid per-call options fail the call with the same messages', async () => {
    const { connect } = await setup(() => ({ body: {} }));
    await expect(connect.getMerchantSettings(undefined, { timeoutMs: -1 })).rejects.toThrow('GET /merchants/settings: timeoutMs must be 1 to 2147483647 ms.');
    await expect(connect.getMerchantSettings(undefined, { retry: { retries: -2 } })).rejects.toThrow(/GET \/merchants\/settings: retry must be/);
  });

  test('retry fields left out or undefined take their defaults', async () => {
    const { server } = await setup(() => ({ status: 503 }));
    const connect = createConnectClient({ token: TOKEN, baseUrl: server.baseUrl, retry: { retries: 1, minDelayMs: 1, maxDelayMs: undefined } });
    await failure(connect.getMerchantSettings());
    expect(server.received).toHaveLength(2);
  });

  test('a trailing slash on baseUrl is ignored', async () => {
    const { server } = await setup(() => ({ body: {} }));
    await createConnectClient({ token: TOKEN, baseUrl: `${server.baseUrl}/api//` }).getMerchantSettings();
    expect(server.received[0]!.url).toBe('/api/merchants/settings');
  });
});
