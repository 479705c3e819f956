import { ConnectAbortError, ConnectTimeoutError } from './errors.js';

/**
 * A budget shared by several processes, such as `redisRateLimit` of `@reportei-connect/rate-limit-redis`.
 * One store per merchant: every client using it draws from the same budget.
 */
export interface RateLimitStore {
  /**
   * Reserves the next free slot, slots being at least `intervalMs` apart across every process using the
   * store, and resolves with the milliseconds from now until that slot (0: send now). A rejection makes
   * the client pace that call in its own process and report a `rate-limit-store-error` event.
   */
  reserve(intervalMs: number): Promise<number>;
}

/** The merchant's limits (`rate_limit_per_minute`, `rate_limit_per_second` of its settings), to pace to from the first call. */
export interface RateLimitOptions {
  perMinute?: number | undefined;
  perSecond?: number | undefined;
  /** Where the budget lives when several processes share it. Default: this client's own. */
  store?: RateLimitStore | undefined;
}

export type WaitReason = 'pace' | 'spent';

/** Paces the attempts of one client (and its `forCustomer` clients: one merchant, one budget). */
export interface Pacer {
  /**
   * Undefined when an attempt may be sent at once (no promise, no wait: the common case costs no
   * microtask); otherwise resolves when it may, with how long it waited, and rejects with a
   * ConnectTimeoutError when that would take longer than `timeoutMs`, or a ConnectAbortError when
   * `signal` aborts.
   */
  acquire(signal: AbortSignal | undefined, timeoutMs: number, call: Call): Promise<[waitedMs: number, reason: WaitReason]> | undefined;
  /** Called once per acquired attempt, with its response if one arrived. */
  settle(response: Response | undefined, sentAt: number): void;
}

/**
 * Known limits are paced evenly: one attempt every `1000 / perSecond` (or `60000 / perMinute`) ms,
 * whichever is longer, stretched by this margin (100 ms a second) so that an attempt sent late, which opens the
 * window of the server (as Laravel does, at the first request it counts), never has one attempt too
 * many in its window.
 */
const MARGIN = 1.1;

/**
 * The headers do not say how long their window is: a minute for `rate_limit_per_minute`, a second for
 * `rate_limit_per_second`. Once the budget is spent, calls wait for the shorter, then one goes first:
 * an answer with budget left releases the others, a 429's `Retry-After` holds them all until the
 * longer window ends.
 */
const SHORTEST_WINDOW_MS = 1000;

/**
 * Resolves after `ms`, or at once when `signal` aborts (the caller then throws) or when something calls
 * what it adds to `wakeUps`; either way its timer is cleared, so that it never keeps the process alive.
 */
export function sleep(ms: number, signal: AbortSignal | undefined, wakeUps?: Set<() => void>): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      wakeUps?.delete(done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done);
    wakeUps?.add(done);
  });
}

/** The method and templated path of the call, for its errors. */
export interface Call {
  method: string;
  path: string;
}

function checkAborted(signal: AbortSignal | undefined, { method, path }: Call): void {
  if (signal?.aborted) throw new ConnectAbortError(`${method} ${path} was cancelled by its AbortSignal.`, { status: 0, method, path, cause: signal.reason });
}

function tooLong({ method, path }: Call, timeoutMs: number): ConnectTimeoutError {
  return new ConnectTimeoutError(
    `${method} ${path} would wait over ${timeoutMs} ms (its timeoutMs) for the merchant's rate limit: raise timeoutMs, or send fewer calls at once.`,
    { status: 0, method, path },
  );
}

const positive = (value: unknown) => value === undefined || (typeof value === 'number' && Number.isFinite(value) && value > 0);

export function createPacer(option: unknown, emitStoreError: ((message: string) => void) | undefined): Pacer | undefined {
  if (option === false) return undefined;
  if (option === undefined || option === true) return headerPacer();
  const { perMinute, perSecond, store } = (option ?? {}) as RateLimitOptions;
  if (typeof option !== 'object' || !positive(perMinute) || !positive(perSecond) || (perMinute ?? perSecond) === undefined || (store !== undefined && typeof store?.reserve !== 'function')) {
    throw new TypeError(
      'createConnectClient: rateLimit must be false, true (pace by the X-RateLimit-* headers), or { perMinute, perSecond, store } with at least one positive limit, as in the merchant settings.',
    );
  }
  // To the microsecond, so that 100 ms * 1.1 is 110 ms, not 110.00000000000001 (waits round up to whole ms).
  const intervalMs = Math.round(Math.max(perSecond ? 1000 / perSecond : 0, perMinute ? 60_000 / perMinute : 0) * MARGIN * 1000) / 1000;
  return slotPacer(intervalMs, store, emitStoreError);
}

/** Even pacing: each attempt takes the next slot, in this process or from a shared store. */
function slotPacer(intervalMs: number, store: RateLimitStore | undefined, emitStoreError: ((message: string) => void) | undefined): Pacer {
  let next = 0;
  const local = () => {
    const now = Date.now();
    const slot = Math.max(now, next);
    next = slot + intervalMs;
    return slot - now;
  };
  const shared = async (signal: AbortSignal | undefined): Promise<number> => {
    if (!store) return local();
    let onAbort: (() => void) | undefined;
    try {
      // The store is not told of the signal: a cancelled call leaves its slot unused, which costs nothing but that slot.
      return await Promise.race([store.reserve(intervalMs), new Promise<never>((_, reject) => signal?.addEventListener('abort', (onAbort = () => reject(signal.reason))))]);
    } catch (error) {
      if (signal?.aborted) throw error;
      // A store that fails must not fail calls: pace in process until it answers again.
      emitStoreError?.(`the rate-limit store failed (${error instanceof Error ? error.message : String(error)}): pacing in this process only, until it answers again.`);
      return local();
    } finally {
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
  };
  return {
    async acquire(signal, timeoutMs, call) {
      checkAborted(signal, call);
      // Whole milliseconds, rounded up: never early.
      const wait = Math.ceil(
        await shared(signal).catch((error: unknown) => {
          checkAborted(signal, call);
          throw error;
        }),
      );
      if (wait <= 0) return [0, 'pace'];
      if (wait > timeoutMs) throw tooLong(call, timeoutMs);
      const started = Date.now();
      await sleep(wait, signal);
      checkAborted(signal, call);
      return [Date.now() - started, 'pace'];
    },
    settle() {},
  };
}

/**
 * Pacing by the answers: each response's `X-RateLimit-Limit` and `X-RateLimit-Remaining` say what is
 * left. Attempts in flight count against what is left; once it is spent, attempts wait a second after
 * the attempt that opened the window (the one answered `Limit - 1`), then one goes alone until its
 * answer says what is left; a 429's `Retry-After` holds every attempt until it ends.
 */
function headerPacer(): Pacer {
  let limit: number | undefined;
  let remaining: number | undefined;
  let inFlight = 0;
  let openedAt: number | undefined;
  let resetAt = 0;
  let probe = false;
  const waiting = new Set<() => void>();
  const wake = () => {
    for (const resolve of waiting) resolve();
    waiting.clear();
  };
  /** Takes a place in the budget if there is one, starting a new window once the last has ended. */
  const take = () => {
    if (resetAt > 0 && Date.now() >= resetAt) {
      // A new window: the full budget again after a Retry-After, else one attempt until it is answered.
      [resetAt, remaining, openedAt] = [0, probe ? 1 : limit, undefined];
    }
    return resetAt === 0 && (remaining === undefined || remaining > inFlight) && ++inFlight > 0;
  };
  return {
    acquire(signal, timeoutMs, call) {
      checkAborted(signal, call);
      if (take()) return undefined;
      return (async (): Promise<[number, WaitReason]> => {
        const started = Date.now();
        for (;;) {
          const now = Date.now();
          const left = started + timeoutMs - now;
          // Until the window ends, or until an attempt in flight is answered and says more.
          const until = resetAt > 0 ? resetAt - now : left;
          if (until > left) throw tooLong(call, timeoutMs);
          // An answer wakes it through `waiting`, which also clears its timer: a timer left running would
          // keep a script alive up to the call's timeout after its last call.
          await sleep(until, signal, waiting);
          checkAborted(signal, call);
          if (take()) return [Date.now() - started, 'spent'];
        }
      })();
    },
    settle(response, sentAt) {
      inFlight--;
      const headers = response?.headers;
      const newLimit = Number(headers?.get('x-ratelimit-limit') ?? NaN);
      const newRemaining = Number(headers?.get('x-ratelimit-remaining') ?? NaN);
      const now = Date.now();
      if (Number.isInteger(newLimit) && Number.isInteger(newRemaining)) {
        [limit, remaining] = [newLimit, newRemaining];
        if (newRemaining === newLimit - 1) openedAt = sentAt;
        if (newRemaining === 0 && resetAt === 0) [resetAt, probe] = [(openedAt ?? now) + SHORTEST_WINDOW_MS, true];
      }
      const retryAfter = response?.status === 429 ? Number(headers?.get('retry-after') ?? NaN) : NaN;
      if (Number.isInteger(retryAfter)) [resetAt, probe] = [now + retryAfter * 1000, false];
      wake();
    },
  };
}
