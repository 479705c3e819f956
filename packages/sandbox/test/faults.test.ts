import { ConnectError, createConnectClient } from '@reportei-connect/client';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { conformingFetch } from './conformance.js';
import { rejection, setup } from './helpers.js';

const FAST_RETRY = { retries: 2, minDelayMs: 1, maxDelayMs: 5 };
/** The client's timeout where a held request must time out: its clock is moved (see `timingOut`), so it can be generous. */
const CLIENT_TIMEOUT_MS = 60_000;

/** A fetch that adds `x-sandbox-fault: <fault>` to the first `times` requests only. */
function faultyFirst(inner: typeof fetch, fault: string, times = 1) {
  let left = times;
  const seen: string[] = [];
  const wrapped = (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    if (left > 0) {
      left--;
      request.headers.set('x-sandbox-fault', fault);
      seen.push(fault);
    } else seen.push('none');
    return inner(request);
  };
  return { fetch: wrapped as typeof fetch, seen };
}

describe('faults on demand, in-process', () => {
  it('500 and 429 (with Retry-After: 1) are answered as documented, and the client retries them', async () => {
    const { call, sandbox, connect } = setup();
    const failed = await call('GET', '/customers', { headers: { 'x-sandbox-fault': '500' } });
    expect(failed).toMatchObject({ status: 500, body: { message: expect.any(String) } });
    const limited = await call('GET', '/customers', { headers: { 'x-sandbox-fault': '429' } });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');

    const checked = conformingFetch(sandbox.fetch);
    const flaky = faultyFirst(checked.fetch, '500');
    const client = createConnectClient({ token: sandbox.merchantToken, baseUrl: sandbox.baseUrl, fetch: flaky.fetch, retry: FAST_RETRY });
    expect((await client.listCustomers()).meta.total).toBe(1);
    expect(flaky.seen).toEqual(['500', 'none']);

    const throttled = faultyFirst(checked.fetch, '429');
    const waiting = createConnectClient({ token: sandbox.merchantToken, baseUrl: sandbox.baseUrl, fetch: throttled.fetch, retry: FAST_RETRY });
    expect((await waiting.getMerchantSettings()).merchant.name).toBe('Sandbox Merchant');
    expect(throttled.seen).toEqual(['429', 'none']);

    // Never retried: a POST the spec does not mark idempotent.
    const once = faultyFirst(checked.fetch, '500');
    const strict = createConnectClient({ token: sandbox.merchantToken, baseUrl: sandbox.baseUrl, fetch: once.fetch, retry: FAST_RETRY });
    expect((await rejection(strict.createCustomer({ name: 'x' }))).status).toBe(500);
    expect(once.seen).toEqual(['500']);
    expect(checked.violations).toEqual([]);
    void connect;
  });

  it('reset rejects the in-process fetch like undici does, and the client retries it', async () => {
    const { sandbox, clientFetch } = setup();
    const error = await rejection(sandbox.fetch(`${sandbox.baseUrl}/customers`, { headers: { authorization: `Bearer ${sandbox.merchantToken}`, 'x-sandbox-fault': 'reset' } }));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('fetch failed');

    const flaky = faultyFirst(clientFetch, 'reset');
    const client = createConnectClient({ token: sandbox.merchantToken, baseUrl: sandbox.baseUrl, fetch: flaky.fetch, retry: FAST_RETRY });
    expect((await client.listCustomers()).meta.total).toBe(1);
    expect(flaky.seen).toEqual(['reset', 'none']);

    const noRetry = createConnectClient({ token: sandbox.merchantToken, baseUrl: sandbox.baseUrl, fetch: faultyFirst(clientFetch, 'reset').fetch, retry: false });
    const failed = await rejection(noRetry.listCustomers());
    expect(failed).toBeInstanceOf(ConnectError);
    expect(failed.status).toBe(0);
  });

  it('timeout never answers until the request is aborted: the client times out, then retries', async () => {
    const { sandbox, clientFetch } = setup();
    const held = () => sandbox.requests().filter((record) => record.fault === 'timeout').length;
    /**
     * Starts `call` with the client's timers on a fake clock, and once the sandbox holds its first attempt,
     * moves that clock past the client's timeout and goes back to real timers: the held attempt times out
     * when the test says, without a real wait, and the attempts after it have the whole timeout.
     */
    const timingOut = <T>(call: () => Promise<T>): Promise<T> => {
      const before = held();
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const result = call();
      // With fake timers, each check of vi.waitFor also moves the clock by its interval: far less than the timeout.
      return vi
        .waitFor(() => expect(held()).toBe(before + 1), { timeout: 60_000, interval: 10 })
        .then(() => vi.advanceTimersByTime(CLIENT_TIMEOUT_MS))
        .finally(() => vi.useRealTimers())
        .then(() => result);
    };
    const flaky = faultyFirst(clientFetch, 'timeout');
    const client = createConnectClient({ token: sandbox.merchantToken, baseUrl: sandbox.baseUrl, fetch: flaky.fetch, retry: FAST_RETRY, timeoutMs: CLIENT_TIMEOUT_MS });
    expect((await timingOut(() => client.listCustomers())).meta.total).toBe(1);
    expect(flaky.seen).toEqual(['timeout', 'none']);

    const noRetry = createConnectClient({ token: sandbox.merchantToken, baseUrl: sandbox.baseUrl, fetch: faultyFirst(clientFetch, 'timeout').fetch, retry: false, timeoutMs: CLIENT_TIMEOUT_MS });
    const failed = await rejection(timingOut(() => noRetry.listCustomers()));
    expect(failed.status).toBe(0);
    expect(failed.message).toMatch(/timed out/);
    expect(sandbox.requests().filter((record) => record.fault === 'timeout')).toHaveLength(2);
  });

  it('close() releases requests hung by timeout', async () => {
    const { sandbox } = setup();
    const hung = sandbox.fetch(`${sandbox.baseUrl}/customers`, { headers: { authorization: `Bearer ${sandbox.merchantToken}`, 'x-sandbox-fault': 'timeout' } });
    // Closed once the request is held, not before it arrives.
    await vi.waitFor(() => expect(sandbox.requests().some((record) => record.fault === 'timeout')).toBe(true), { timeout: 60_000, interval: 10 });
    await sandbox.close();
    const error = await rejection(hung);
    expect(error).toBeInstanceOf(TypeError);
  });

  it('an unknown fault answers 500 saying which faults exist', async () => {
    const { call } = setup();
    const response = await call('GET', '/customers', { headers: { 'x-sandbox-fault': 'explode' } });
    expect(response.status).toBe(500);
    expect(response.body.message).toMatch(/500, 429, timeout, reset/);
  });
});

describe('rate limits', () => {
  it('answer 429 with Retry-After past the limit, count down in the headers, and reopen after the window', async () => {
    const { call, connect, sandbox } = setup({ rateLimit: 3 });
    const remaining: (string | null)[] = [];
    for (let index = 0; index < 3; index++) {
      const response = await call('GET', '/merchants/settings');
      expect(response.status).toBe(200);
      expect(response.headers.get('x-ratelimit-limit')).toBe('3');
      remaining.push(response.headers.get('x-ratelimit-remaining'));
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const limited = await call('GET', '/customers');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(limited.body).toEqual({ message: 'Too Many Attempts.' });
    const error = await rejection(connect.listCustomers());
    expect(error.status).toBe(429);
    expect(error.retryAfter).toBeGreaterThanOrEqual(1);

    // Raw: the client itself now holds its calls for the Retry-After it was given, in real time.
    sandbox.clock.advance(61);
    const settings = await call('GET', '/merchants/settings');
    expect(settings.status).toBe(200);
    expect(settings.body.merchant.rate_limit_per_minute).toBe('3');
  });

  it('per second too: refuse past it until the second is over, show the tighter limit, and report it', async () => {
    // The sandbox's clock follows Date.now: frozen, so that no second ends between these requests.
    vi.useFakeTimers({ toFake: ['Date'] });
    onTestFinished(() => void vi.useRealTimers());
    const { call, sandbox } = setup({ rateLimit: 100, rateLimitPerSecond: 2 });
    const seen: [number, string | null, string | null][] = [];
    for (let index = 0; index < 3; index++) {
      const response = await call('GET', '/merchants/settings');
      seen.push([response.status, response.headers.get('x-ratelimit-limit'), response.headers.get('x-ratelimit-remaining')]);
    }
    expect(seen).toEqual([
      [200, '2', '1'],
      [200, '2', '0'],
      [429, '2', '0'],
    ]);
    expect((await call('GET', '/customers')).headers.get('retry-after')).toBe('1');

    sandbox.clock.advance(1);
    const settings = await call('GET', '/merchants/settings');
    expect(settings.status).toBe(200);
    expect(settings.body.merchant).toMatchObject({ rate_limit_per_minute: '100', rate_limit_per_second: '2' });
    expect(settings.headers.get('x-ratelimit-remaining')).toBe('1');
  });

  it('are reported by getMerchantSettings as configured', async () => {
    const { connect } = setup();
    const { merchant } = await connect.getMerchantSettings();
    expect(merchant.rate_limit_per_minute).toBe('6000');
    expect(merchant.rate_limit_per_second).toMatch(/^\d+$/);
  });
});
