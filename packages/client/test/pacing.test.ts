import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { ConnectAbortError, ConnectTimeoutError, createConnectClient, type ConnectEvent, type RateLimitStore } from '../src/index.js';
import { budget, fakeApi, TOKEN } from './fake-api.js';
import { serve, type Server } from './server.js';

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Lets every pending promise and due timer run, up to `ms` of fake time later. */
const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);

describe('known limits: rateLimit { perMinute, perSecond }', () => {
  test('paces calls evenly from the first one, one every 1000 / perSecond ms plus a 10% margin', async () => {
    const { connect, sentAt } = fakeApi(() => ({ body: { merchant: {} } }), { rateLimit: { perSecond: 10 } });
    const calls = Array.from({ length: 5 }, () => connect.getMerchantSettings());
    await advance(1000);
    await Promise.all(calls);
    expect(sentAt).toEqual([0, 110, 220, 330, 440]);
  });

  test('the stricter of perMinute and perSecond sets the pace; forCustomer clients share the budget', async () => {
    const { connect, sentAt } = fakeApi(() => ({ body: {} }), { rateLimit: { perMinute: 60, perSecond: 10 } });
    const acme = connect.forCustomer('customer-token');
    const calls = [connect.getMerchantSettings(), acme.getCustomerSettings(), connect.listCustomers()];
    await advance(3000);
    await Promise.all(calls);
    expect(sentAt).toEqual([0, 1100, 2200]);
  });

  test('reports each wait as a rate-limit-wait event', async () => {
    const events: ConnectEvent[] = [];
    const { connect } = fakeApi(() => ({ body: {} }), { rateLimit: { perSecond: 20 }, onEvent: (event) => events.push(event) });
    const calls = [connect.getMerchantSettings(), connect.getMerchantSettings()];
    await advance(100);
    await Promise.all(calls);
    expect(events.filter((event) => event.type === 'rate-limit-wait')).toEqual([
      expect.objectContaining({ type: 'rate-limit-wait', operationId: 'getMerchantSettings', durationMs: 55, reason: 'pace', attempt: 1 }),
    ]);
  });

  test('a wait longer than timeoutMs fails at once with a ConnectTimeoutError, sending nothing', async () => {
    const { connect, sentAt } = fakeApi(() => ({ body: {} }), { rateLimit: { perMinute: 1 } });
    await connect.getMerchantSettings();
    const error = await connect.getMerchantSettings(undefined, { timeoutMs: 1000 }).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ConnectTimeoutError);
    expect((error as Error).message).toBe(
      "GET /merchants/settings would wait over 1000 ms (its timeoutMs) for the merchant's rate limit: raise timeoutMs, or send fewer calls at once.",
    );
    expect(sentAt).toHaveLength(1);
  });

  test("the call's signal cancels its wait", async () => {
    const { connect, sentAt } = fakeApi(() => ({ body: {} }), { rateLimit: { perSecond: 1 } });
    await connect.getMerchantSettings();
    const controller = new AbortController();
    const waiting = connect.getMerchantSettings(undefined, { signal: controller.signal }).catch((reason: unknown) => reason);
    await advance(500);
    controller.abort();
    expect(await waiting).toBeInstanceOf(ConnectAbortError);
    await advance(5000);
    expect(sentAt).toHaveLength(1);
  });

  test('invalid limits throw at once, saying what to pass', () => {
    for (const rateLimit of [{}, { perSecond: 0 }, { perMinute: -1 }, { perSecond: Number.NaN }, 'fast', { perSecond: 1, store: {} }]) {
      expect(() => createConnectClient({ token: TOKEN, rateLimit: rateLimit as never })).toThrow(
        'createConnectClient: rateLimit must be false, true (pace by the X-RateLimit-* headers), or { perMinute, perSecond, store } with at least one positive limit, as in the merchant settings.',
      );
    }
  });
});

describe('a shared store', () => {
  test('each attempt reserves its slot from the store, which says how long to wait', async () => {
    const reserved: number[] = [];
    const store: RateLimitStore = { reserve: async (intervalMs) => (reserved.push(intervalMs), reserved.length === 1 ? 0 : 300) };
    const { connect, sentAt } = fakeApi(() => ({ body: {} }), { rateLimit: { perSecond: 4, store } });
    await connect.getMerchantSettings();
    const second = connect.getMerchantSettings();
    await advance(300);
    await second;
    expect(reserved).toEqual([275, 275]);
    expect(sentAt).toEqual([0, 300]);
  });

  test('a failing store degrades to pacing in process, with a warning event, never a failed call', async () => {
    const events: ConnectEvent[] = [];
    const store: RateLimitStore = { reserve: () => Promise.reject(new Error('Connection is closed.')) };
    const { connect, sentAt } = fakeApi(() => ({ body: {} }), { rateLimit: { perSecond: 10, store }, onEvent: (event) => events.push(event) });
    const calls = [connect.getMerchantSettings(), connect.getMerchantSettings()];
    await advance(200);
    await Promise.all(calls);
    expect(sentAt).toEqual([0, 110]);
    expect(events.filter((event) => event.type === 'rate-limit-store-error')).toEqual([
      { type: 'rate-limit-store-error', message: 'the rate-limit store failed (Connection is closed.): pacing in this process only, until it answers again.' },
      { type: 'rate-limit-store-error', message: 'the rate-limit store failed (Connection is closed.): pacing in this process only, until it answers again.' },
    ]);
  });

  test("a store that does not answer is left behind when the call's signal aborts", async () => {
    const store: RateLimitStore = { reserve: () => new Promise(() => {}) };
    const { connect, sentAt } = fakeApi(() => ({ body: {} }), { rateLimit: { perSecond: 10, store } });
    const controller = new AbortController();
    const call = connect.getMerchantSettings(undefined, { signal: controller.signal }).catch((reason: unknown) => reason);
    controller.abort();
    expect(await call).toBeInstanceOf(ConnectAbortError);
    expect(sentAt).toHaveLength(0);
  });
});

describe('by the answers (the default)', () => {
  test('once X-RateLimit-Remaining is 0, holds calls until a second after the call that opened the window, then sends one: budget left releases the others', async () => {
    const events: ConnectEvent[] = [];
    // A budget of 3 a second: the fifth request opens a new window.
    const { connect, sentAt } = fakeApi((n) => ({ headers: budget(3, n < 3 ? 2 - n : 5 - n), body: {} }), { onEvent: (event) => events.push(event) });
    await connect.getMerchantSettings(); // 2 left: this call opened the window, at 0
    await advance(300);
    await connect.getMerchantSettings();
    await connect.getMerchantSettings(); // 0 left
    const held = [connect.getMerchantSettings(), connect.getMerchantSettings()];
    await advance(699);
    expect(sentAt).toEqual([0, 300, 300]);
    await advance(1);
    await Promise.all(held);
    expect(sentAt).toEqual([0, 300, 300, 1000, 1000]); // one, then the other once the first said 2 were left
    expect(events.filter((event) => event.type === 'rate-limit-wait')).toEqual([
      expect.objectContaining({ durationMs: 700, reason: 'spent' }),
      expect.objectContaining({ durationMs: 700, reason: 'spent' }),
    ]);
  });

  test("a window of a minute: the call sent after a second meets a 429, whose Retry-After holds every call until the window ends", async () => {
    let next = 0;
    const { connect, sentAt } = fakeApi((n) =>
      n === 2 ? { status: 429, headers: { ...budget(2, 0), 'retry-after': '59' }, body: { message: 'Too Many Attempts.' } } : { headers: budget(2, n < 2 ? 1 - n : 1), body: { n: next++ } },
      { timeoutMs: 120_000 },
    );
    await connect.getMerchantSettings();
    await connect.getMerchantSettings(); // 0 left
    const held = [connect.getMerchantSettings(), connect.listCustomers()];
    await advance(1000);
    expect(sentAt).toEqual([0, 0, 1000]);
    await advance(58_999);
    expect(sentAt).toEqual([0, 0, 1000]);
    await advance(1);
    await Promise.all(held);
    expect(sentAt).toEqual([0, 0, 1000, 60_000, 60_000]);
  });

  test('calls in flight count against what is left, and an answer ends the wait of the others', async () => {
    const answers: ((answer: { headers: Record<string, string> }) => void)[] = [];
    const { connect, sentAt } = fakeApi(() => new Promise((resolve) => answers.push(resolve)));
    const first = connect.getMerchantSettings();
    await advance(0);
    answers[0]!({ headers: budget(10, 2) });
    await first;
    const calls = Array.from({ length: 4 }, () => connect.getMerchantSettings());
    await advance(0);
    expect(sentAt).toHaveLength(3); // 2 left, 2 sent
    answers[1]!({ headers: budget(10, 5) }); // another window: room again
    await advance(0);
    expect(sentAt).toHaveLength(5);
    for (const answer of answers.slice(2)) answer({ headers: budget(10, 4) });
    await Promise.all(calls);
    // A wait that an answer ended leaves no timer behind: one would keep a script alive up to the call's timeout.
    expect(vi.getTimerCount()).toBe(0);
  });

  test("a 429's Retry-After holds every call of the client, not only the retried one", async () => {
    const { connect, sentAt } = fakeApi((n) => (n === 0 ? { status: 429, headers: { 'retry-after': '2' }, body: { message: 'Too Many Attempts.' } } : { body: {} }));
    const limited = connect.getMerchantSettings();
    await advance(0);
    const other = connect.listCustomers();
    await advance(1999);
    expect(sentAt).toEqual([0]);
    await advance(1);
    await Promise.all([limited, other]);
    expect(sentAt).toEqual([0, 2000, 2000]);
  });

  test('rateLimit: false sends whatever the headers say', async () => {
    const { connect, sentAt } = fakeApi(() => ({ headers: budget(1, 0), body: {} }), { rateLimit: false });
    await connect.getMerchantSettings();
    await connect.getMerchantSettings();
    expect(sentAt).toEqual([0, 0]);
  });
});

describe('against a server limited per second', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  /**
   * A loopback server allowing `perSecond` requests in each one-second window, opened by the first
   * request it counts, as Laravel's throttle (and the sandbox) count; it answers 429 beyond.
   */
  async function limited(perSecond: number) {
    let window = { opened: -Infinity, count: 0 };
    let refused = 0;
    const server = await serve(() => {
      const now = performance.now();
      if (now >= window.opened + 1000) window = { opened: now, count: 0 };
      window.count++;
      const headers = budget(perSecond, Math.max(0, perSecond - window.count));
      if (window.count <= perSecond) return { headers, body: {} };
      refused++;
      return { status: 429, headers: { ...headers, 'retry-after': '1' }, body: { message: 'Too Many Attempts.' } };
    });
    servers.push(server);
    return { ...server, refused: () => refused };
  }

  test('paced to its limit, 30 calls, 8 at a time, meet no 429; unpaced, they do', { timeout: 30_000 }, async () => {
    vi.useRealTimers();
    const run = async (rateLimit: false | { perSecond: number }) => {
      const server = await limited(20);
      const connect = createConnectClient({ token: TOKEN, baseUrl: server.baseUrl, rateLimit, retry: false });
      let next = 0;
      const worker = async () => {
        while (next++ < 30) await connect.getMerchantSettings().catch(() => undefined);
      };
      await Promise.all(Array.from({ length: 8 }, worker));
      return server.refused();
    };
    expect(await run({ perSecond: 20 })).toBe(0);
    expect(await run(false)).toBeGreaterThan(0);
  });
});
