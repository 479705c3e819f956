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
  cause?: unknown;
}

/**
 * Every failure of a client call. It never holds a token: only the status, the templated path and what
 * the server answered.
 */
export class ConnectError extends Error {
  declare readonly name: 'ConnectError';
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

/** `Retry-After` in seconds (sent as seconds or as an HTTP date), or undefined when absent or unreadable. */
export function retryAfterSeconds(headers: Headers): number | undefined {
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = /^\d+$/.test(value) ? +value : Math.ceil((Date.parse(value) - Date.now()) / 1000);
  return Number.isNaN(seconds) ? undefined : Math.max(0, seconds);
}

/**
 * The ConnectError that an error response amounts to. `body` is the response's parsed JSON (or its
 * text); `path` is the templated path. Exported for layers over `raw`, where openapi-fetch resolves
 * error responses instead of throwing.
 */
export function errorFromResponse(method: string, path: string, { status, headers }: Response, body: unknown): ConnectError {
  const { message, errors } = (body ?? {}) as { message?: unknown; errors?: Record<string, string[]> };
  const limit = headers.get('x-ratelimit-limit');
  const remaining = headers.get('x-ratelimit-remaining');
  return new ConnectError(typeof message === 'string' && message ? message : `${method} ${path} answered ${status} without a JSON message: check baseUrl.`, {
    status,
    method,
    path,
    body,
    errors: typeof errors === 'object' ? errors : undefined,
    retryAfter: retryAfterSeconds(headers),
    rateLimit: limit && remaining ? { limit: +limit, remaining: +remaining } : undefined,
  });
}
