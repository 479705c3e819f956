import { ConnectError, retryAfterSeconds } from './errors.js';

export interface RetryOptions {
  /** Retries after the first attempt. Default 2. */
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
}

type RetryPolicy = { retries: number; minDelayMs: number; maxDelayMs: number };

/** What every request of a client shares, validated once. */
export interface Settings {
  fetch: typeof fetch;
  baseUrl: string;
  timeoutMs: number;
  retry: RetryPolicy;
}

/** The operation a request belongs to, as errors and the retry rule need it. */
export interface Target {
  method: string;
  /** The templated path. */
  path: string;
  /** Safe to send again: GET, PUT, DELETE, or marked `x-idempotent` in the spec. */
  retry: boolean;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 2, minDelayMs: 500, maxDelayMs: 8000 };
const RETRY_STATUSES = [408, 429, 500, 502, 503, 504];
/** A longer `Retry-After` fails the call at once (with `retryAfter` set) rather than hold it. */
const MAX_RETRY_AFTER_SECONDS = 60;
const MAX_TIMER_MS = 2 ** 31 - 1;

const isMilliseconds = (value: unknown, min = 0): value is number => typeof value === 'number' && value >= min && value <= MAX_TIMER_MS;

export function checkTimeout(value: unknown, where: string): number {
  if (isMilliseconds(value, 1)) return value;
  throw new TypeError(`${where}: timeoutMs must be 1 to ${MAX_TIMER_MS} ms.`);
}

export function resolveRetry(option: RetryOptions | false | undefined, base: RetryPolicy, where: string): RetryPolicy {
  if (option === undefined) return base;
  // Defaults fill what the option leaves out or sets to undefined.
  const { retries = base.retries, minDelayMs = base.minDelayMs, maxDelayMs = base.maxDelayMs } = option === false ? { retries: 0 } : option;
  if (Number.isInteger(retries) && retries >= 0 && isMilliseconds(minDelayMs) && isMilliseconds(maxDelayMs, minDelayMs)) return { retries, minDelayMs, maxDelayMs };
  throw new TypeError(`${where}: retry must be false or { retries >= 0, 0 <= minDelayMs <= maxDelayMs }.`);
}

/** Waits `ms`, or less if `signal` aborts (the caller then checks `signal.aborted`). */
function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done);
  });
}

/**
 * Sends a request with the client's timeout (per attempt) and retries, for both the generated methods
 * (`input` is a URL string) and `raw` (`input` is the Request openapi-fetch built). Resolves with the
 * last response, and its text when `readBody` is set (read within the attempt's timeout); rejects with
 * a status-0 ConnectError when no response arrived.
 */
export async function send(
  settings: Settings,
  target: Target,
  input: string | Request,
  init: RequestInit,
  call: CallOptions | undefined,
  readBody: boolean,
): Promise<[Response, string]> {
  const { method, path } = target;
  const where = `${method} ${path}`;
  const timeoutMs = call?.timeoutMs === undefined ? settings.timeoutMs : checkTimeout(call.timeoutMs, where);
  const { retries, minDelayMs, maxDelayMs } = resolveRetry(call?.retry, settings.retry, where);
  const signal = call?.signal ?? (input as Request).signal;
  for (let attempt = 0; ; attempt++) {
    const retry = target.retry && attempt < retries;
    // Exponential backoff with full jitter: retry n waits a random time in [min, min(max, min * 2^n)].
    let delay = minDelayMs + Math.random() * (Math.min(maxDelayMs, minDelayMs * 2 ** (attempt + 1)) - minDelayMs);
    // AbortSignal.timeout is the cheapest per-attempt deadline fetch accepts (no timer to clear).
    const timeout = AbortSignal.timeout(timeoutMs);
    init.signal = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      if (signal?.aborted) throw signal.reason;
      // A Request's body can be read once: send a copy while another attempt may follow.
      // Called unbound: browsers reject a `fetch` called on another object than `window`.
      const response = await (0, settings.fetch)(retry && typeof input !== 'string' ? input.clone() : input, init);
      const text = readBody ? await response.text() : '';
      if (!retry || !RETRY_STATUSES.includes(response.status)) return [response, text];
      const retryAfter = retryAfterSeconds(response.headers) ?? delay / 1000;
      if (retryAfter > MAX_RETRY_AFTER_SECONDS) return [response, text];
      delay = retryAfter * 1000;
      if (!readBody) await response.body?.cancel();
    } catch (error) {
      const fail = (message: string, cause?: unknown) => new ConnectError(message, { status: 0, method, path, cause });
      if (signal?.aborted) throw fail(`${where} was cancelled by its AbortSignal.`, signal.reason);
      // Only the error's code or name, never its message or the error itself: a custom fetch may put
      // the request, token included, in what it throws.
      if (!retry) {
        throw fail(
          timeout.aborted
            ? `${where} timed out after ${timeoutMs} ms: raise timeoutMs if the API needs longer.`
            : `${where} got no response (${(error as { cause?: { code?: string } })?.cause?.code ?? (error as Error)?.name}): check baseUrl ${settings.baseUrl} and the network.`,
        );
      }
    }
    await wait(delay, signal);
  }
}
