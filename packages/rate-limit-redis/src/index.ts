import type { RateLimitStore } from '@reportei-connect/client';
import { RateLimiterRedis, RateLimiterRes, RLWrapperTimeouts } from 'rate-limiter-flexible';

export interface RedisRateLimitOptions {
  /** An ioredis client (`new Redis(url)`), shared with the rest of the application if you like. */
  redis: object;
  /** The prefix of the store's keys: one per merchant when a Redis serves several. Default `reportei-connect:rate-limit`. */
  keyPrefix?: string | undefined;
  /** A Redis answering slower than this counts as failed: the call is then paced in its own process. Default 500. */
  timeoutMs?: number | undefined;
}

/**
 * Slots are counted in windows of a minute: a counter in Redis, created with a one-minute expiry by
 * the first reservation and incremented atomically by each (rate-limiter-flexible's Lua script), so
 * that reservation n of a window gets the slot (n - 1) intervals after the window opened, whichever
 * process made it. A window holds as many slots as fit in it; once they are taken, reservations wait
 * for the next window, which opens when this one has expired.
 */
const WINDOW_SECONDS = 60;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A store for `createConnectClient({ rateLimit: { perMinute, perSecond, store } })`: every client
 * using the same Redis and `keyPrefix` paces its calls within one budget, in any number of processes
 * and machines. A Redis that fails or does not answer within `timeoutMs` rejects the reservation, and
 * the client then paces that call in its own process (and reports a `rate-limit-store-error` event).
 */
export function redisRateLimit({ redis, keyPrefix = 'reportei-connect:rate-limit', timeoutMs = 500 }: RedisRateLimitOptions): RateLimitStore {
  if (!redis || typeof redis !== 'object') throw new TypeError('redisRateLimit: redis must be an ioredis client, such as new Redis(process.env.REDIS_URL).');
  if (typeof keyPrefix !== 'string' || !keyPrefix) throw new TypeError('redisRateLimit: keyPrefix must be a non-empty string, one per merchant.');
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new TypeError('redisRateLimit: timeoutMs must be a whole number of milliseconds, 1 or more.');
  const limiters = new Map<number, RLWrapperTimeouts>();
  const limiterFor = (intervalMs: number) => {
    let limiter = limiters.get(intervalMs);
    if (!limiter) {
      const points = Math.max(1, Math.floor((WINDOW_SECONDS * 1000) / intervalMs));
      const store = new RateLimiterRedis({ storeClient: redis, keyPrefix, points, duration: WINDOW_SECONDS });
      limiter = new RLWrapperTimeouts({ limiter: store, timeoutMs });
      limiters.set(intervalMs, limiter);
    }
    return limiter;
  };
  return {
    async reserve(intervalMs) {
      // A connection lost and being retried fails at once rather than wait timeoutMs for every call;
      // one still opening (at start-up) is waited for, within timeoutMs.
      const { status } = redis as { status?: string };
      if (status === 'reconnecting' || status === 'close' || status === 'end') throw new Error(`Redis connection is ${status}`);
      const limiter = limiterFor(intervalMs);
      for (;;) {
        try {
          // The key names the pace: clients with other limits never share slots they cannot read the same way.
          const { consumedPoints, msBeforeNext } = await limiter.consume(String(intervalMs));
          const openedAgo = WINDOW_SECONDS * 1000 - msBeforeNext;
          return Math.max(0, (consumedPoints - 1) * intervalMs - openedAgo);
        } catch (error) {
          if (!(error instanceof RateLimiterRes)) throw error;
          await sleep(error.msBeforeNext);
        }
      }
    },
  };
}
