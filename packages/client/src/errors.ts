/** The rate-limit headers of a response, where the server sent them. */
export interface RateLimit {
  /** Requests allowed in the current window (`X-RateLimit-Limit`). */
  limit: number;
  /** Requests left in the current window (`X-RateLimit-Remaining`). */
  remaining: number;
}

export interface ConnectErrorDetails {
  /** HTTP status, or 0 when no response arrived (network failure, timeout, cancellation). */
  status: number;
  method: string;
  /** The templated path, such as `/customers/{uuid}`. */
  path: string;
  body?: unknown;
  errors?: Record<string, string[]> | undefined;
  retryAfter?: number | undefined;
  rateLimit?: RateLimit | undefined;
  /** The system error code of a `ConnectConnectionError`, such as `ECONNREFUSED`. */
  code?: string | undefined;
  cause?: unknown;
}

/**
 * Every failure of a client call. It never holds a token: only the status, the templated path and what
 * the server answered, with the client's own tokens replaced by `[redacted]`. Failures without a
 * response are one of its subclasses: `ConnectTimeoutError`, `ConnectAbortError` or
 * `ConnectConnectionError`.
 */
export class ConnectError extends Error {
  declare readonly name: 'ConnectError' | 'ConnectTimeoutError' | 'ConnectAbortError' | 'ConnectConnectionError' | 'ConnectResponseTooLargeError';
  /** HTTP status, or 0 when no response arrived (network failure, timeout, cancellation). */
  declare readonly status: number;
  declare readonly method: string;
  /** The templated path, such as `/customers/{uuid}`. */
  declare readonly path: string;
  /** The parsed response body (or its text when it is not JSON); `undefined` when no response arrived. */
  declare readonly body?: unknown;
  /** On a 422, the messages of each invalid field. */
  declare readonly errors?: Record<string, string[]>;
  /** Seconds to wait before trying again, from `Retry-After`. */
  declare readonly retryAfter?: number;
  declare readonly rateLimit?: RateLimit;

  constructor(message: string, { cause, ...details }: ConnectErrorDetails) {
    super(undefined, cause === undefined ? undefined : { cause });
    // `message` set here rather than by `super` is enumerable, so `JSON.stringify` logs it too.
    Object.assign(this, { name: 'ConnectError', message }, details);
  }
}

/** Status 0: an attempt got no response within `timeoutMs` (after any retries). */
export class ConnectTimeoutError extends ConnectError {
  override readonly name = 'ConnectTimeoutError';
}

/** Status 0: the call's `signal` aborted it; `cause` is the signal's reason. */
export class ConnectAbortError extends ConnectError {
  override readonly name = 'ConnectAbortError';
}

/** Status 0: no response arrived (connection refused or reset, DNS failure, invalid URL...). */
export class ConnectConnectionError extends ConnectError {
  override readonly name = 'ConnectConnectionError';
  /** The system error code, such as `ECONNREFUSED`, `ENOTFOUND`, `UND_ERR_SOCKET` or `ERR_INVALID_URL`, when there is one. */
  declare readonly code?: string;
}

/**
 * A `Retry-After` header value (RFC 9110) in seconds from `now`: delay-seconds (digits only) or an
 * HTTP-date (IMF-fixdate, RFC 850 or asctime), a date in the past being 0. `undefined` for anything
 * else (absent, `1.5`, `-5`, other date formats), so that the caller's own backoff applies.
 *
 * @example retryAfterSeconds(response.headers.get('retry-after')) // 120 for "120"
 */
export function retryAfterSeconds(value: string | null | undefined, now = Date.now()): number | undefined {
  const text = value?.trim() ?? '';
  if (/^\d+$/.test(text)) return +text;
  // IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT", asctime "Sun Nov  6 08:49:37 1994".
  const date = /^([A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4}|[A-Z][a-z]{5,8}, \d\d-[A-Z][a-z]{2}-\d\d) \d\d:\d\d:\d\d GMT$/.test(text)
    ? Date.parse(text)
    : /^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}$/.test(text)
      ? Date.parse(`${text} GMT`)
      : NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

/**
 * The ConnectError that an error response amounts to. `body` is the response's parsed JSON (or its
 * text); `path` is the templated path; `advice`, when given, follows the server's message (what to do
 * next). Exported for layers over `raw`, where openapi-fetch resolves error responses instead of
 * throwing.
 */
export function errorFromResponse(method: string, path: string, { status, headers }: Response, body: unknown, advice?: string): ConnectError {
  const { message, errors } = (body ?? {}) as { message?: unknown; errors?: Record<string, string[]> };
  const text = typeof message === 'string' && message ? message : `${method} ${path} answered ${status} without a JSON message: check baseUrl.`;
  return new ConnectError(advice ? `${text} — ${advice}` : text, {
    status,
    method,
    path,
    body,
    errors: typeof errors === 'object' ? errors : undefined,
    retryAfter: retryAfterSeconds(headers.get('retry-after')),
    rateLimit: rateLimitOf(headers),
  });
}

/** The `X-RateLimit-*` headers of a response, where the server sent both. */
export function rateLimitOf(headers: Headers): RateLimit | undefined {
  const [limit, remaining] = [headers.get('x-ratelimit-limit'), headers.get('x-ratelimit-remaining')];
  return limit && remaining ? { limit: +limit, remaining: +remaining } : undefined;
}
