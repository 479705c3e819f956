import { afterEach, describe, expect, test, vi } from 'vitest';
import { createConnectClient, type ConnectEvent } from '../src/index.js';
import { budget, fakeApi, TOKEN } from './fake-api.js';

const CUSTOMER_TOKEN = 'customer-secret-token-9876543210';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('onEvent', () => {
  test('reports each attempt, answer and retry of a call, with one callId, never a token or a body', async () => {
    const events: ConnectEvent[] = [];
    const { connect } = fakeApi(
      (n) => (n === 0 ? { status: 503, headers: { 'retry-after': '0' }, body: { message: `down ${TOKEN}` } } : { headers: budget(60, 58), body: { customer: { api_token: CUSTOMER_TOKEN } } }),
      { onEvent: (event) => events.push(event) },
    );
    await connect.forCustomer(CUSTOMER_TOKEN).getCustomer({ uuid: 'u1' });
    const call = { callId: expect.any(Number), operationId: 'getCustomer', method: 'GET', path: '/customers/{uuid}' };
    expect(events).toEqual([
      { ...call, type: 'request', attempt: 1 },
      { ...call, type: 'response', attempt: 1, status: 503, durationMs: expect.any(Number), rateLimit: undefined, retryAfter: 0 },
      { ...call, type: 'retry', attempt: 1, reason: 'status', status: 503, delayMs: 0 },
      { ...call, type: 'request', attempt: 2 },
      { ...call, type: 'response', attempt: 2, status: 200, durationMs: expect.any(Number), rateLimit: { limit: 60, remaining: 58 }, retryAfter: undefined },
    ]);
    expect(new Set(events.map((event) => 'callId' in event && event.callId)).size).toBe(1);
    const text = JSON.stringify(events);
    for (const secret of [TOKEN, CUSTOMER_TOKEN, 'u1', 'down']) expect(text).not.toContain(secret);
  });

  test('reports a failed call as an error: an error status, or no response at all', async () => {
    const events: ConnectEvent[] = [];
    const { connect } = fakeApi(() => ({ status: 404, body: { message: 'No query results.' } }), { onEvent: (event) => events.push(event) });
    await expect(connect.getCustomer({ uuid: 'missing' })).rejects.toThrow('No query results.');
    expect(events.at(-1)).toEqual(expect.objectContaining({ type: 'error', name: 'ConnectError', status: 404, message: 'GET /customers/{uuid} answered 404', operationId: 'getCustomer' }));

    const offline = createConnectClient({ token: TOKEN, baseUrl: 'http://127.0.0.1:9', retry: false, onEvent: (event) => events.push(event) });
    await expect(offline.raw.GET('/merchants/settings')).rejects.toThrow(/got no response/);
    expect(events.at(-1)).toEqual(expect.objectContaining({ type: 'error', name: 'ConnectConnectionError', status: 0, operationId: undefined, path: '/merchants/settings' }));
  });

  test('a listener that throws changes nothing in the call', async () => {
    const { connect, sentAt } = fakeApi(() => ({ body: { merchant: { uuid: 'm' } } }), {
      onEvent: () => {
        throw new Error('listener bug');
      },
    });
    await expect(connect.getMerchantSettings()).resolves.toEqual({ merchant: { uuid: 'm' } });
    expect(sentAt).toHaveLength(1);
  });

  test('onEvent must be a function', () => {
    expect(() => createConnectClient({ token: TOKEN, onEvent: 'log' as never })).toThrow('createConnectClient: onEvent must be a function of one event.');
  });
});

describe('logger', () => {
  const retried = (options: Parameters<typeof fakeApi>[1]) =>
    fakeApi((n) => (n === 0 ? { status: 503, headers: { 'retry-after': '0' } } : { headers: budget(60, 59), body: {} }), options).connect.getMerchantSettings();

  test('console: a debug line per answer, each retry at info, message first', async () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {});
    const info = vi.spyOn(console, 'info').mockImplementation(() => {});
    await retried({ logger: console });
    expect(debug.mock.calls).toEqual([
      [expect.stringMatching(/^reportei-connect: GET \/merchants\/settings \(getMerchantSettings\) answered 503 in \d+ ms$/)],
      [expect.stringMatching(/^reportei-connect: GET \/merchants\/settings \(getMerchantSettings\) answered 200 in \d+ ms, 59\/60 left$/)],
    ]);
    expect(info.mock.calls).toEqual([['reportei-connect: GET /merchants/settings (getMerchantSettings): attempt 1 failed (503), retrying in 0 ms']]);
  });

  test('a pino-style logger gets the event first, then the message', async () => {
    const lines: [string, unknown, string][] = [];
    const logger = Object.fromEntries(['debug', 'info', 'warn'].map((level) => [level, (event: unknown, message: string) => lines.push([level, event, message])]));
    await retried({ logger: logger as never });
    expect(lines.map(([level, event]) => [level, (event as ConnectEvent).type])).toEqual([
      ['debug', 'response'],
      ['info', 'retry'],
      ['debug', 'response'],
    ]);
    expect(lines[1]![2]).toBe('reportei-connect: GET /merchants/settings (getMerchantSettings): attempt 1 failed (503), retrying in 0 ms');
  });

  test('rate-limit waits at info, a failing store at warn, a failure without answer at debug', async () => {
    vi.useFakeTimers({ now: 0 });
    try {
      const lines: string[] = [];
      const logger = Object.fromEntries(['debug', 'info', 'warn'].map((level) => [level, (_: unknown, message: string) => lines.push(`${level} ${message}`)]));
      const store = { reserve: () => Promise.reject(new Error('Connection is closed.')) };
      const { connect } = fakeApi(() => ({ body: {} }), { rateLimit: { perSecond: 10, store }, logger: logger as never });
      const calls = [connect.getMerchantSettings(), connect.getMerchantSettings()];
      await vi.advanceTimersByTimeAsync(200);
      await Promise.all(calls);
      expect(lines.filter((line) => !line.startsWith('debug'))).toEqual([
        'warn reportei-connect: the rate-limit store failed (Connection is closed.): pacing in this process only, until it answers again.',
        'warn reportei-connect: the rate-limit store failed (Connection is closed.): pacing in this process only, until it answers again.',
        'info reportei-connect: GET /merchants/settings (getMerchantSettings) waited 110 ms for the rate limit (pacing)',
      ]);
    } finally {
      vi.useRealTimers();
    }
    const lines: string[] = [];
    const logger = { debug: (_: unknown, message: string) => lines.push(message), info: () => {}, warn: () => {} };
    const offline = createConnectClient({ token: TOKEN, baseUrl: 'http://127.0.0.1:9', retry: false, logger });
    await expect(offline.getMerchantSettings()).rejects.toThrow();
    expect(lines).toEqual([expect.stringMatching(/^reportei-connect: GET \/merchants\/settings \(getMerchantSettings\) failed: GET \/merchants\/settings got no response/)]);
  });

  test('a logger without debug, info and warn is refused', () => {
    expect(() => createConnectClient({ token: TOKEN, logger: { log() {} } as never })).toThrow(
      'createConnectClient: logger must be console or a logger with debug, info and warn methods, such as pino.',
    );
  });
});
