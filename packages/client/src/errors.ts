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
