import { checkMaxBytes, parseSuccess, readText } from './body.js';
import { ConnectAbortError, ConnectConnectionError, ConnectError, ConnectTimeoutError, rateLimitOf, retryAfterSeconds } from './errors.js';
import type { CallEventBase, Emit } from './events.js';
import { sleep, type Pacer } from './pacing.js';

export interface RetryOptions {
  /** Retries after the first attempt, an integer from 0 to 10. Default 2. */
  retries?: number | undefined;
  /** The first retry waits between `minDelayMs` and twice that; each further retry doubles the bound. Default 500. */
  minDelayMs?: number | undefined;
  /** No backoff is longer than this (a `Retry-After` of up to 60 s is honoured as sent). Default 8000. */
  maxDelayMs?: number | undefined;
}

/** Options of one call; each overrides the client's setting for that call only. */
export interface CallOptions {
  /** Cancels the call, including any wait between retries. */
  signal?: AbortSignal | undefined;
  /** Per attempt, in milliseconds. */
  timeoutMs?: number | undefined;
  /** Sent in addition to the client's headers, overriding those with the same name. */
  headers?: Record<string, string> | Headers | undefined;
  retry?: RetryOptions | false | undefined;
  /** A larger response body is abandoned and the call rejected with a ConnectResponseTooLargeError. */
  maxResponseBytes?: number | undefined;
}

type RetryPolicy = { retries: number; minDelayMs: number; maxDelayMs: number };

/** What every request of a client shares, validated once. */
export interface Settings {
  fetch: typeof fetch;
  baseUrl: string;
  /** `baseUrl`'s origin: the only one requests (and so tokens) may go to. */
  origin: string;
  timeoutMs: number;
  retry: RetryPolicy;
  /** Replaces the client's tokens in what a failure holds. */
  scrub: <T>(value: T) => T;
  maxResponseBytes: number;
  /** Shared by a client and its `forCustomer` clients: one merchant, one budget. */
  pacer: Pacer | undefined;
  /** Undefined when nobody listens. */
  emit: Emit | undefined;
}

/** The operation a request belongs to, as errors and the retry rule need it. */
export interface Target {
  /** The operationId; undefined for `raw`. */
  id?: string | undefined;
  method: string;
  /** The templated path. */
  path: string;
  /** Safe to send again: GET, PUT, DELETE, or marked `x-idempotent` in the spec. */
  retryable: boolean;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 2, minDelayMs: 500, maxDelayMs: 8000 };
const RETRY_STATUSES = [408, 429, 500, 502, 503, 504];
const REDIRECT_STATUSES = [301, 302, 303, 307, 308];
const MAX_REDIRECTS = 5;
/** A longer `Retry-After` fails the call at once (with `retryAfter` set) rather than hold it. */
const MAX_RETRY_AFTER_SECONDS = 60;
const MAX_TIMER_MS = 2 ** 31 - 1;

const isInteger = (value: unknown, min: number, max = MAX_TIMER_MS): value is number =>
  Number.isInteger(value) && (value as number) >= min && (value as number) <= max;

/** `value` if it is a valid timeout, `fallback` if it is undefined. */
export function checkTimeout(value: unknown, fallback: number, where: string): number {
  if (value === undefined) return fallback;
  if (isInteger(value, 1)) return value;
  throw new TypeError(`${where}: timeoutMs must be an integer from 1 to ${MAX_TIMER_MS} (milliseconds per attempt).`);
}

export function resolveRetry(option: unknown, base: RetryPolicy, where: string): RetryPolicy {
  if (option === undefined) return base;
  if (option === false) return { ...base, retries: 0 };
  if (option && typeof option === 'object') {
    // Defaults fill what the option leaves out or sets to undefined.
    const { retries = base.retries, minDelayMs = base.minDelayMs, maxDelayMs = base.maxDelayMs } = option as RetryOptions;
    if (isInteger(retries, 0, 10) && isInteger(minDelayMs, 0) && isInteger(maxDelayMs, minDelayMs)) return { retries, minDelayMs, maxDelayMs };
  }
  throw new TypeError(
    `${where}: retry must be false or { retries, minDelayMs, maxDelayMs } with integers, retries from 0 to 10 and 0 <= minDelayMs <= maxDelayMs <= ${MAX_TIMER_MS} ms.`,
  );
}

let calls = 0;

/**
 * Sends a request with the client's pacing, timeout (per attempt), retries and redirect rule, for both the
 * generated methods (`input` is a URL string) and `raw` (`input` is the Request openapi-fetch built,
 * whose method and headers `init` repeats for redirects). Resolves with the last response, its text
 * (read within the attempt's timeout and maxResponseBytes) and, for a success, its parsed JSON; rejects
 * with a ConnectError when no usable response arrived. Reports what happens to `settings.emit`.
 */
export async function send(settings: Settings, target: Target, input: string | Request, init: RequestInit, call?: CallOptions): Promise<[Response, string, unknown]> {
  const { emit } = settings;
  const started = Date.now();
  const event: CallEventBase = { callId: ++calls, operationId: target.id, method: target.method, path: target.path, attempt: 1 };
  const failed = emit && ((name: string, status: number, message: string) => emit({ ...event, type: 'error', name, status, message, durationMs: Date.now() - started }));
  try {
    const result = await attempts(settings, target, input, init, event, call);
    const { status } = result[0];
    if (status >= 400) failed?.('ConnectError', status, `${target.method} ${target.path} answered ${status}`);
    return result;
  } catch (error) {
    if (error instanceof ConnectError) failed?.(error.name, error.status, error.message);
    throw error;
  }
}

async function attempts(settings: Settings, target: Target, input: string | Request, init: RequestInit, event: CallEventBase, call?: CallOptions): Promise<[Response, string, unknown]> {
  const { method, path } = target;
  const { emit, pacer } = settings;
  const where = `${method} ${path}`;
  const timeoutMs = checkTimeout(call?.timeoutMs, settings.timeoutMs, where);
  const { retries, minDelayMs, maxDelayMs } = resolveRetry(call?.retry, settings.retry, where);
  const maxBytes = checkMaxBytes(call?.maxResponseBytes, settings.maxResponseBytes, where);
  const signal = call?.signal ?? (input as Request).signal;
  // fetch would follow a redirect to any origin with every header but Authorization (the customer
  // token included) and, on a 307 or 308, the body: redirects are followed here, within the origin.
  init.redirect = 'manual';
  for (let attempt = 0; ; attempt++) {
    event.attempt = attempt + 1;
    // Before the attempt's timer: a wait has its own bound (timeoutMs) and error.
    const wait = pacer?.acquire(signal, timeoutMs, target);
    if (wait) {
      const [waited, reason] = await wait;
      if (emit && waited > 0) emit({ ...event, type: 'rate-limit-wait', durationMs: waited, reason });
    }
    const sentAt = Date.now();
    let answer: Response | undefined;
    const retry = target.retryable && attempt < retries;
    // Exponential backoff with full jitter: retry n waits a random time in [min, min(max, min * 2^n)].
    let delay = minDelayMs + Math.random() * (Math.min(maxDelayMs, minDelayMs * 2 ** (attempt + 1)) - minDelayMs);
    // The attempt's deadline: a timer that aborts its own controller, cleared once the body is read.
    // Cheaper per call than AbortSignal.timeout, whose timer, weak reference and finalizer stay alive
    // for the whole timeout (30 s by default) after the call is over.
    const controller = new AbortController();
    const timeout = controller.signal;
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    init.signal = signal ? AbortSignal.any([signal, timeout]) : timeout;
    emit?.({ ...event, type: 'request' });
    try {
      if (signal?.aborted) throw signal.reason;
      let url = input;
      let request = init;
      let response: Response;
      for (let redirects = 0; ; redirects++) {
        // Called unbound: browsers reject a `fetch` called on another object than `window`. A Request's
        // body can be read once: each attempt sends a copy.
        response = await (0, settings.fetch)(typeof url !== 'string' && url.body ? url.clone() : url, request);
        const { status } = response;
        // Read only on a redirect: most responses are not. A browser hides where an opaque redirect
        // goes (no status, no headers): it cannot be followed safely.
        const location = REDIRECT_STATUSES.includes(status) && response.headers.get('location');
        if (response.type !== 'opaqueredirect' && !location) break;
        await response.body?.cancel();
        const next = location ? new URL(location, typeof url === 'string' ? url : url.url) : undefined;
        if (next?.origin !== settings.origin || redirects === MAX_REDIRECTS) {
          throw new ConnectError(
            `${where} answered ${status}, redirecting to ${next ? settings.scrub(next.origin) : 'a location the browser hides'}: up to ${MAX_REDIRECTS} redirects within ${settings.origin} are followed, never to another origin, so that no token leaves it. Set baseUrl to the API's final address.`,
            { status, method, path },
          );
        }
        // The next request goes to a URL string, with the body (of a Request, read from a copy) in `init`.
        if (typeof url !== 'string') request = { ...request, body: url.body ? await url.clone().arrayBuffer() : undefined };
        // As fetch does: a 303, or a 301 or 302 to a POST, turns the request into a GET without body.
        if ((status === 303 && request.method !== 'HEAD') || (status < 303 && request.method === 'POST')) request = { ...request, method: 'GET', body: undefined };
        url = next.href;
      }
      answer = response;
      const text = await readText(response, maxBytes, method, path);
      const { status, headers } = response;
      emit?.({ ...event, type: 'response', status, durationMs: Date.now() - sentAt, rateLimit: rateLimitOf(headers), retryAfter: retryAfterSeconds(headers.get('retry-after')) });
      // Methods (which know their operation) require a JSON body; raw passes an empty success through.
      if (response.ok) return [response, text, target.id || text ? parseSuccess(response, text, method, path, settings.scrub) : undefined];
      // A 429 was refused before anything was done, so it is sent again whatever the operation.
      if (!(retry || (status === 429 && attempt < retries)) || !RETRY_STATUSES.includes(status)) return [response, text, undefined];
      const retryAfter = retryAfterSeconds(headers.get('retry-after')) ?? delay / 1000;
      if (retryAfter > MAX_RETRY_AFTER_SECONDS) return [response, text, undefined];
      delay = retryAfter * 1000;
      emit?.({ ...event, type: 'retry', reason: 'status', status, delayMs: delay });
    } catch (error) {
      if (error instanceof ConnectError) throw error;
      const details = { status: 0, method, path };
      if (signal?.aborted) throw new ConnectAbortError(`${where} was cancelled by its AbortSignal.`, { ...details, cause: signal.reason });
      if (!retry) {
        if (timeout.aborted) throw new ConnectTimeoutError(`${where} timed out after ${timeoutMs} ms: raise timeoutMs if the API needs longer.`, details);
        // Only the error's code or name, never its message or the error itself: a custom fetch may put
        // the request, token included, in what it throws.
        const failure = error as { name?: unknown; code?: unknown; cause?: { code?: unknown } } | undefined;
        const code = [failure?.cause?.code, failure?.code].find((value): value is string => typeof value === 'string');
        throw new ConnectConnectionError(
          `${where} got no response (${settings.scrub(code ?? String(failure?.name))}): check baseUrl ${settings.baseUrl} and the network.`,
          { ...details, code: code && settings.scrub(code) },
        );
      }
      emit?.({ ...event, type: 'retry', reason: timeout.aborted ? 'timeout' : 'connection', status: 0, delayMs: delay });
    } finally {
      clearTimeout(timer);
      pacer?.settle(answer, sentAt);
    }
    // The backoff: `delay`, or less if `signal` aborts (the next attempt then throws at once).
    await sleep(delay, signal);
  }
}
