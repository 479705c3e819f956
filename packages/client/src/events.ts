import type { RateLimit } from './errors.js';
import type { WaitReason } from './pacing.js';

/** What every event of one call carries. Never a token, a header value or a body. */
export interface CallEventBase {
  /** Counts the calls of the process from 1: the events of one call share it. */
  callId: number;
  /** The method's operationId; undefined for `raw` requests. */
  operationId: string | undefined;
  method: string;
  /** The templated path, such as `/customers/{uuid}`. */
  path: string;
  /** 1 for the first attempt, 2 for the first retry... */
  attempt: number;
}

/** What a client reports of its calls, to `onEvent` and `logger`. */
export type ConnectEvent =
  /** An attempt is sent. */
  | (CallEventBase & { type: 'request' })
  /** An attempt was answered and its body read. */
  | (CallEventBase & { type: 'response'; status: number; durationMs: number; rateLimit: RateLimit | undefined; retryAfter: number | undefined })
  /** An attempt failed and is retried after `delayMs`: for its `status`, a `timeout` or a `connection` failure. */
  | (CallEventBase & { type: 'retry'; reason: 'status' | 'timeout' | 'connection'; status: number; delayMs: number })
  /** An attempt waited for the rate limit: to keep its `pace`, or because the budget was `spent`. */
  | (CallEventBase & { type: 'rate-limit-wait'; durationMs: number; reason: WaitReason })
  /** The call failed; `status` is 0 when no response arrived. */
  | (CallEventBase & { type: 'error'; name: string; status: number; message: string; durationMs: number })
  /** A warning: the shared rate-limit store failed, and this call is paced in process. */
  | { type: 'rate-limit-store-error'; message: string };

/** `console`, or a logger whose methods take `(object, message)` as pino's do. */
export interface Logger {
  debug(...args: any[]): void;
  info(...args: any[]): void;
  warn(...args: any[]): void;
}

export type Emit = (event: ConnectEvent) => void;

const line = (event: ConnectEvent): string => {
  if (event.type === 'rate-limit-store-error') return `reportei-connect: ${event.message}`;
  const call = `reportei-connect: ${event.method} ${event.path}${event.operationId ? ` (${event.operationId})` : ''}`;
  switch (event.type) {
    case 'response':
      return `${call} answered ${event.status} in ${event.durationMs} ms${event.rateLimit ? `, ${event.rateLimit.remaining}/${event.rateLimit.limit} left` : ''}`;
    case 'retry':
      return `${call}: attempt ${event.attempt} failed (${event.reason === 'status' ? event.status : event.reason}), retrying in ${Math.round(event.delayMs)} ms`;
    case 'rate-limit-wait':
      return `${call} waited ${event.durationMs} ms for the rate limit (${event.reason === 'spent' ? 'budget spent' : 'pacing'})`;
    default:
      // Logged only for a failure without a response (a request event is never logged).
      return `${call} failed: ${(event as { message: string }).message}`;
  }
};

/**
 * The levels of the logger: one debug line per answer (and per failure without one: an answer's line
 * already says how it ended), retries and waits at info, a failing store at warn.
 */
const LEVELS: Partial<Record<ConnectEvent['type'], keyof Logger>> = {
  response: 'debug',
  retry: 'info',
  'rate-limit-wait': 'info',
  'rate-limit-store-error': 'warn',
};

/** One function from the options, or undefined when nobody listens (the calls then build no event). */
export function createEmit(onEvent: unknown, logger: unknown): Emit | undefined {
  if (onEvent !== undefined && typeof onEvent !== 'function') throw new TypeError('createConnectClient: onEvent must be a function of one event.');
  const log = logger as Logger | undefined;
  if (log !== undefined && !['debug', 'info', 'warn'].every((level) => typeof log[level as keyof Logger] === 'function')) {
    throw new TypeError('createConnectClient: logger must be console or a logger with debug, info and warn methods, such as pino.');
  }
  const listener = onEvent as Emit | undefined;
  // Reporting never changes a call: an error thrown by the listener is dropped, rather than taken for
  // a failure of the request (and retried) or crashing the process.
  const notify = listener && ((event: ConnectEvent) => {
    try {
      listener(event);
    } catch {}
  });
  if (!log) return notify;
  // console takes the message first; pino and its likes take the object first.
  const consoleLike = log === globalThis.console;
  return (event) => {
    notify?.(event);
    const level = event.type === 'error' && event.status === 0 ? 'debug' : LEVELS[event.type];
    if (!level) return;
    if (consoleLike) log[level](line(event));
    else log[level](event, line(event));
  };
}
