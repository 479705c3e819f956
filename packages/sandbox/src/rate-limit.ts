export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Whether this request went over the limit. */
  limited: boolean;
  /** Seconds until the window ends (when a limited request may try again). */
  retryAfter: number;
}

/** The limits a merchant's token has: per minute always, per second when one is set. */
export interface RateLimits {
  perMinute: number;
  perSecond?: number | undefined;
}

/**
 * A fixed window per key and limit, as Laravel's throttle counts: the first request opens the window
 * (60 seconds for the per-minute limit, 1 for the per-second one), every request in it counts, 429s
 * included, and the window closes that long after it opened. A request over either limit is refused,
 * until the end of the window that refused it; the headers show the limit with the least left. Times
 * come from the sandbox clock, so moving the clock forward also ends the windows.
 */
export class RateLimiter {
  private readonly windows: { limit: number; ms: number; opened: Map<string, { at: number; count: number }> }[];

  constructor(readonly limits: RateLimits) {
    this.windows = [
      { limit: limits.perMinute, ms: 60_000, opened: new Map() },
      ...(limits.perSecond === undefined ? [] : [{ limit: limits.perSecond, ms: 1_000, opened: new Map() }]),
    ];
  }

  /** Counts one request for `key` at `nowMs`. */
  hit(key: string, nowMs: number): RateLimitState {
    const states = this.windows.map(({ limit, ms, opened }): RateLimitState => {
      let window = opened.get(key);
      if (!window || nowMs >= window.at + ms || nowMs < window.at) {
        window = { at: nowMs, count: 0 };
        opened.set(key, window);
      }
      window.count++;
      return { limit, remaining: Math.max(0, limit - window.count), limited: window.count > limit, retryAfter: Math.max(1, Math.ceil((window.at + ms - nowMs) / 1000)) };
    });
    const refusing = states.filter((state) => state.limited);
    const shown = states.reduce((least, state) => (state.remaining < least.remaining ? state : least));
    return refusing.length > 0 ? { ...shown, remaining: 0, limited: true, retryAfter: Math.max(...refusing.map((state) => state.retryAfter)) } : shown;
  }

  reset(): void {
    for (const { opened } of this.windows) opened.clear();
  }
}
