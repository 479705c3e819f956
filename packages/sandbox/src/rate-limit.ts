/** The window every limit counts over. */
const WINDOW_MS = 60_000;

export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Whether this request went over the limit. */
  limited: boolean;
  /** Seconds until the window ends (when a limited request may try again). */
  retryAfter: number;
}

/**
 * A fixed window per key, as Laravel's throttle counts: the first request opens a 60-second window,
 * every request in it counts, and the window closes 60 seconds after it opened. Times come from the
 * sandbox clock, so moving the clock forward also ends the window.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { opened: number; count: number }>();

  constructor(readonly limit: number) {}

  /** Counts one request for `key` at `nowMs`. */
  hit(key: string, nowMs: number): RateLimitState {
    let window = this.windows.get(key);
    if (!window || nowMs >= window.opened + WINDOW_MS || nowMs < window.opened) {
      window = { opened: nowMs, count: 0 };
      this.windows.set(key, window);
    }
    window.count++;
    const limited = window.count > this.limit;
    return {
      limit: this.limit,
      remaining: Math.max(0, this.limit - window.count),
      limited,
      retryAfter: Math.max(1, Math.ceil((window.opened + WINDOW_MS - nowMs) / 1000)),
    };
  }

  reset(): void {
    this.windows.clear();
  }
}
