/**
 * The sandbox's clock, in the spirit of Stripe's test clocks: it runs with real time, and can be moved
 * forward (never back) to reach trial ends and session expiries without waiting. Everything the
 * sandbox dates (timestamps, trials, session expiry, rate-limit windows) reads it.
 */
export interface SandboxClock {
  /** The sandbox's current time. */
  now(): Date;
  /** Moves the clock forward by `seconds` (>= 0) and answers the new time. */
  advance(seconds: number): Date;
  /** Moves the clock to `to`, which must not be earlier than now, and answers the new time. */
  set(to: Date | string): Date;
}

/** A request to move the clock that cannot be honoured; `field` names what was wrong. */
export class ClockError extends Error {
  override name = 'ClockError';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * The time an RFC 3339 date and time names, or NaN. `Date.parse` rolls impossible dates over
 * (`2030-02-30` becomes March 2): each field is checked for what its month allows first.
 */
function parseRfc3339(text: string): number {
  const match = RFC3339.exec(text);
  if (!match) return Number.NaN;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) return Number.NaN;
  return Date.parse(text);
}
/** The API writes four-digit years: the clock stops short of year 10000 (with room for a trial). */
const MAX_TIME = Date.UTC(9990, 0, 1);

export class Clock implements SandboxClock {
  /**
   * @param offsetMs how far the sandbox's time is ahead of real time (the one place it is kept: the
   *   runtime saves it with each change)
   * @param realNow real time, replaceable in tests
   */
  constructor(
    public offsetMs = 0,
    private readonly realNow: () => number = Date.now,
  ) {}

  nowMs(): number {
    return this.realNow() + this.offsetMs;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  advance(seconds: number): Date {
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
      throw new ClockError('advanceSeconds must be a number of seconds, 0 or more: the clock only moves forward.', 'advanceSeconds');
    }
    return this.moveTo(this.nowMs() + seconds * 1000, 'advanceSeconds');
  }

  set(to: Date | string): Date {
    const target = typeof to === 'string' ? parseRfc3339(to) : to.getTime();
    if (!Number.isFinite(target)) throw new ClockError('now must be an RFC 3339 date and time, such as 2030-01-31T12:00:00Z.', 'now');
    if (target < this.nowMs()) throw new ClockError(`now must not be earlier than the sandbox's current time (${this.now().toISOString()}): the clock only moves forward.`, 'now');
    return this.moveTo(target, 'now');
  }

  private moveTo(target: number, field: string): Date {
    if (target > MAX_TIME) throw new ClockError('That is further than the clock can go.', field);
    this.offsetMs = target - this.realNow();
    return this.now();
  }
}

const pad = (value: number) => String(value).padStart(2, '0');

/** The API's timestamp format, `YYYY-MM-DD hh:mm:ss`, in UTC. */
export function formatTimestamp(ms: number): string {
  const date = new Date(ms);
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
}
