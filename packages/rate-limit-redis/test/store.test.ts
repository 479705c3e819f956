import { createServer } from 'node:net';
import { type ConnectEvent, createConnectClient } from '@reportei-connect/client';
import { startRedis } from '@reportei-connect/redis-server';
import { createSandbox } from '@reportei-connect/sandbox';
import { Redis, type RedisOptions } from 'ioredis';
import { afterEach, describe, expect, inject, test, vi } from 'vitest';
import { redisRateLimit } from '../src/index.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let prefixes = 0;
/** A key prefix of its own for each test: they share one Redis. */
const uniquePrefix = () => `test-${process.pid}-${++prefixes}`;

/** An ioredis connection, closed after the test: each stands for a process of its own. */
function connection(url = inject('redisUrl'), options: RedisOptions = {}) {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, ...options });
  // Connection errors are what some tests are about: the store reports them, ioredis need not print them.
  redis.on('error', () => {});
  cleanups.push(() => redis.disconnect());
  return redis;
}

/**
 * The store of these tests, one budget per `keyPrefix`. A Redis slower than the default 500 ms counts as
 * failed, and on a machine busy with other suites a healthy one can take longer (a connection opening, the
 * Lua script loading): these tests are about slots, so they wait as long as it takes. How the store
 * degrades when Redis does not answer is the business of its own test, with a timeout of its own.
 */
const sharedStore = (redis: Redis, keyPrefix: string) => redisRateLimit({ redis, keyPrefix, timeoutMs: 60_000 });

/** A loopback API allowing `perSecond` requests per one-second window (opened by the first it counts, as Laravel does), 429 beyond. */
async function limitedApi(perSecond: number) {
  const { createServer: createHttpServer } = await import('node:http');
  let window = { opened: -Infinity, count: 0 };
  let refused = 0;
  const server = createHttpServer((req, res) => {
    // Not counted: the first fetch of a process spends a few hundred ms starting up, which would
    // delay the calls after the first and bunch them into its window.
    if (req.url === '/warm-up') return void res.end();
    const now = performance.now();
    if (now >= window.opened + 1000) window = { opened: now, count: 0 };
    const over = ++window.count > perSecond;
    if (over) refused++;
    res.writeHead(over ? 429 : 200, { 'content-type': 'application/json', ...(over && { 'retry-after': '1' }) });
    res.end(JSON.stringify(over ? { message: 'Too Many Attempts.' } : { merchant: {} }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  const baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  await fetch(`${baseUrl}/warm-up`);
  return { baseUrl, refused: () => refused };
}

describe('redisRateLimit', () => {
  test('reservations from several connections take successive slots of one budget', async () => {
    const keyPrefix = uniquePrefix();
    const stores = [sharedStore(connection(), keyPrefix), sharedStore(connection(), keyPrefix)];
    const waits = await Promise.all(Array.from({ length: 6 }, (_, n) => stores[n % 2]!.reserve(1000)));
    // Reservation k waits k intervals after the first, less the time since the first was made (well under an interval).
    waits.sort((a, b) => a - b).forEach((wait, k) => {
      expect(wait).toBeLessThanOrEqual(k * 1000);
      expect(wait).toBeGreaterThan(k * 1000 - 1000);
    });
  });

  test('once the slots of a window are taken, a reservation waits for the next window', async () => {
    const keyPrefix = uniquePrefix();
    const redis = connection();
    const store = sharedStore(redis, keyPrefix);
    // 30 s apart: a one-minute window holds 2 slots.
    expect(await store.reserve(30_000)).toBe(0);
    expect(await store.reserve(30_000)).toBeGreaterThan(29_000);
    // The third waits for the window's end (fake timers: no minute of real time), then takes the first slot of the next.
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      let waited: number | undefined;
      void store.reserve(30_000).then((wait) => (waited = wait));
      await vi.waitFor(async () => expect(await redis.get(`${keyPrefix}:30000`)).toBe('3'));
      expect(waited).toBeUndefined();
      // The window ends, as its expiry would end it a minute later. Deleting it rather than letting it
      // expire leaves no race between the expiry and the retry the advanced timer starts.
      await redis.del(`${keyPrefix}:30000`);
      // The third's timer may be set a moment after Redis counted it: advance until it has fired.
      await vi.waitFor(async () => {
        await vi.advanceTimersByTimeAsync(60_000);
        expect(waited).toBeDefined();
      });
      expect(waited).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  // The clients share a budget of BUDGET calls a second against servers allowing twice as many. At the
  // servers' own limit, a call the machine delays by more than the store's margin (a tenth of the window:
  // 100 ms) can open the server's window late and meet a 429, which the client retries: a busy machine
  // delays calls that long. At twice the limit it takes a delay of about a second; four clients pacing
  // alone to the budget still send twice what the servers allow. `pnpm bench` measures at the limit.
  const BUDGET = 10;
  const SERVER_PER_SECOND = 2 * BUDGET;

  test('four clients sharing the budget meet no 429 from a server limited per second', { timeout: 60_000 }, async () => {
    const api = await limitedApi(SERVER_PER_SECOND);
    const keyPrefix = uniquePrefix();
    const clients = Array.from({ length: 4 }, () =>
      createConnectClient({ token: 'merchant-token', baseUrl: api.baseUrl, retry: false, rateLimit: { perSecond: BUDGET, store: sharedStore(connection(), keyPrefix) } }),
    );
    const results = await Promise.allSettled(clients.flatMap((connect) => Array.from({ length: 6 }, () => connect.getMerchantSettings())));
    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    expect(api.refused()).toBe(0);
  });

  test('four clients sharing the budget meet no 429 from the sandbox with --rate-limit-per-second; paced each alone, they do', async () => {
    /** Four clients of one merchant, six calls each, all at once: the 429s they met. */
    const run = async (store: boolean) => {
      const sandbox = createSandbox({ rateLimitPerSecond: SERVER_PER_SECOND });
      const server = await sandbox.listen({ port: 0 });
      cleanups.push(() => sandbox.close(), () => server.close());
      // Not counted against the merchant (another token): the first request of a server pays for its start.
      await fetch(`${server.baseUrl}/merchants/settings`);
      const keyPrefix = uniquePrefix();
      let refused = 0;
      const clients = Array.from({ length: 4 }, () =>
        createConnectClient({
          token: sandbox.merchantToken,
          baseUrl: server.baseUrl,
          rateLimit: { perSecond: BUDGET, store: store ? sharedStore(connection(), keyPrefix) : undefined },
          onEvent: (event) => void (event.type === 'response' && event.status === 429 && refused++),
        }),
      );
      const results = await Promise.allSettled(clients.flatMap((connect) => Array.from({ length: 6 }, () => connect.getMerchantSettings())));
      expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
      return refused;
    };
    expect(await run(true)).toBe(0);
    expect(await run(false)).toBeGreaterThan(0);
  });

  test('a Redis that is down or stops answering degrades to pacing in process, with a warning, never a failed call', async () => {
    const api = await limitedApi(1000);
    const events: ConnectEvent[] = [];
    const call = (redis: Redis) =>
      createConnectClient({
        token: 'merchant-token',
        baseUrl: api.baseUrl,
        rateLimit: { perSecond: 100, store: redisRateLimit({ redis, keyPrefix: uniquePrefix(), timeoutMs: 200 }) },
        onEvent: (event) => events.push(event),
      }).getMerchantSettings();

    // Nothing listens: ioredis is not ready, and the reservation fails at once.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = connection(`redis://127.0.0.1:${port}`, { retryStrategy: () => 60_000 });
    await new Promise((resolve) => refused.once('reconnecting', resolve));
    await expect(call(refused)).resolves.toEqual({ merchant: {} });

    // A real Redis, stopped (SIGSTOP) after connecting: its answers never come, the reservation times out.
    const frozen = await startRedis();
    cleanups.push(() => frozen.stop());
    const redis = connection(frozen.url);
    await redis.ping();
    frozen.process.kill('SIGSTOP');
    await expect(call(redis)).resolves.toEqual({ merchant: {} });

    expect(events.filter((event) => event.type === 'rate-limit-store-error')).toEqual([
      { type: 'rate-limit-store-error', message: 'the rate-limit store failed (Redis connection is reconnecting): pacing in this process only, until it answers again.' },
      { type: 'rate-limit-store-error', message: 'the rate-limit store failed (Operation timed out): pacing in this process only, until it answers again.' },
    ]);
  });

  test('invalid options are refused, saying what to pass', () => {
    expect(() => redisRateLimit({ redis: undefined as never })).toThrow('redisRateLimit: redis must be an ioredis client, such as new Redis(process.env.REDIS_URL).');
    expect(() => redisRateLimit({ redis: {}, keyPrefix: '' })).toThrow('redisRateLimit: keyPrefix must be a non-empty string, one per merchant.');
    expect(() => redisRateLimit({ redis: {}, timeoutMs: 0 })).toThrow('redisRateLimit: timeoutMs must be a whole number of milliseconds, 1 or more.');
  });
});
