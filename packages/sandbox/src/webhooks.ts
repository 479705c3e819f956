import { isHttpUrl } from './url.js';

/**
 * Webhook deliveries: the results of `getMetricsDataAsync`, POSTed to the request's
 * `metrics_webhook_url` (the spec's `metricsReady` callback) a moment after the request, retried with
 * exponential backoff on the real clock, each attempt recorded.
 */

/** Where a delivery stands. */
export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One POST of a delivery. */
export interface WebhookAttempt {
  /** When it was sent, on the sandbox clock (RFC 3339). */
  at: string;
  /** The HTTP status answered, or null when there was no answer (see `error`). */
  status: number | null;
  /** Why there was no usable answer: a connection error, a timeout, a cancellation; null when answered. */
  error: string | null;
  /** How long it took, in milliseconds of real time. */
  durationMs: number;
}

/** One webhook the sandbox owes, as `GET /__sandbox/webhook-deliveries` lists it. */
export interface WebhookDelivery {
  id: string;
  /** The callback it fulfils, as the spec names it. */
  callback: 'metricsReady';
  url: string;
  status: WebhookDeliveryStatus;
  /** The JSON body POSTed: the same object `getMetricsData` answers with. */
  payload: unknown;
  /** The customer and the customer integration it was computed for. */
  customer: string;
  customerIntegration: string;
  /** When it was queued, on the sandbox clock. */
  createdAt: string;
  /** When the next attempt is due, on the sandbox clock; null unless pending and waiting. */
  nextAttemptAt: string | null;
  /** Oldest first. */
  attempts: WebhookAttempt[];
  /** Why it failed (its attempts ran out, or the sandbox closed); null otherwise. */
  error: string | null;
}

/** What an operation hands over to be delivered; `url` comes from the callback's runtime expression. */
export interface WebhookJob {
  callback: 'metricsReady';
  url: string;
  payload: unknown;
  customer: string;
  customerIntegration: string;
}

/** Timers on the real clock; replaceable in tests. */
export interface WebhookTimers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface WebhookOptions {
  /** How long after the request the first attempt is made, in milliseconds. Default 1000. */
  delayMs?: number | undefined;
  /** Attempts in all, the first included, before a delivery fails. Default 4. */
  attempts?: number | undefined;
  /** The wait before the first retry, in milliseconds; each further retry waits twice as long. Default 1000. */
  retryDelayMs?: number | undefined;
  /** How long one attempt may take before it is abandoned as a timeout, in milliseconds. Default 5000. */
  timeoutMs?: number | undefined;
  /** The fetch that POSTs (default: the global one). */
  fetch?: typeof fetch | undefined;
  /** Told of each attempt once it is over (for logging). */
  onAttempt?: ((delivery: WebhookDelivery, attempt: WebhookAttempt) => void) | undefined;
  /** Real-time timers (default: the global ones, unref'd so that they never keep a process alive). */
  timers?: WebhookTimers | undefined;
}

export const DEFAULT_WEBHOOK_DELAY_MS = 1000;
export const DEFAULT_WEBHOOK_ATTEMPTS = 4;
export const DEFAULT_WEBHOOK_RETRY_DELAY_MS = 1000;
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 5000;
/** Deliveries kept for `GET /__sandbox/webhook-deliveries`; the oldest finished ones go first. */
const CAPACITY = 100;

const realTimers: WebhookTimers = {
  now: () => Date.now(),
  setTimeout(callback, ms) {
    const handle = setTimeout(callback, ms);
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

interface Entry {
  delivery: WebhookDelivery;
  timer: unknown;
  /** The attempt under way, if any. */
  running: Promise<void> | undefined;
  controller: AbortController | undefined;
}

/** Why an attempt ended without an answer, said by the sandbox itself; `final` ones end the delivery. */
class Abandoned extends Error {
  constructor(
    message: string,
    readonly final: boolean,
  ) {
    super(message);
  }
}

/** An attempt stopped because the sandbox stops with its state kept: not an attempt at all, made again after the restart. */
class Suspended extends Error {}

function describeError(error: unknown): string {
  if (error instanceof Abandoned) return error.message;
  const err = error as Error & { cause?: { code?: string; message?: string } };
  const cause = err.cause && (err.cause.code ?? err.cause.message);
  return cause ? `${err.message}: ${cause}` : String(err.message ?? error);
}

function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new TypeError(`createSandbox: webhooks.${message}`);
}

export class WebhookSender {
  private readonly entries: Entry[] = [];
  private readonly delayMs: number;
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;
  private readonly timeoutMs: number;
  private readonly post: typeof fetch;
  private readonly timers: WebhookTimers;
  private readonly onAttempt: WebhookOptions['onAttempt'];
  private closed = false;

  /**
   * @param options delays, attempts, timeouts
   * @param sandboxNow the sandbox clock, for the dates recorded
   * @param onChange told of each change of a delivery once an attempt or a cancellation has changed it (the runtime saves it)
   */
  constructor(
    options: WebhookOptions,
    private readonly sandboxNow: () => number,
    private readonly onChange: (delivery: WebhookDelivery) => void = () => {},
  ) {
    this.delayMs = options.delayMs ?? DEFAULT_WEBHOOK_DELAY_MS;
    this.maxAttempts = options.attempts ?? DEFAULT_WEBHOOK_ATTEMPTS;
    this.retryDelayMs = options.retryDelayMs ?? DEFAULT_WEBHOOK_RETRY_DELAY_MS;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
    check(Number.isFinite(this.delayMs) && this.delayMs >= 0, 'delayMs must be a number of milliseconds, 0 or more.');
    check(Number.isInteger(this.maxAttempts) && this.maxAttempts >= 1, 'attempts must be a whole number, 1 or more.');
    check(Number.isFinite(this.retryDelayMs) && this.retryDelayMs >= 0, 'retryDelayMs must be a number of milliseconds, 0 or more.');
    check(Number.isFinite(this.timeoutMs) && this.timeoutMs >= 1, 'timeoutMs must be a number of milliseconds, 1 or more.');
    this.post = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.timers = options.timers ?? realTimers;
    this.onAttempt = options.onAttempt;
  }

  /**
   * Adds a delivery, pending but not yet scheduled: {@link start} schedules it once the request that
   * made it is saved, {@link discard} forgets it if that save fails.
   */
  add(id: string, job: WebhookJob): WebhookDelivery {
    const delivery: WebhookDelivery = {
      id,
      callback: job.callback,
      url: job.url,
      status: 'pending',
      payload: job.payload,
      customer: job.customer,
      customerIntegration: job.customerIntegration,
      createdAt: new Date(this.sandboxNow()).toISOString(),
      // Due after the delay: what a state file keeps, should the sandbox stop before the attempt.
      nextAttemptAt: new Date(this.sandboxNow() + this.delayMs).toISOString(),
      attempts: [],
      error: null,
    };
    this.entries.push({ delivery, timer: undefined, running: undefined, controller: undefined });
    this.trim();
    return copy(delivery);
  }

  /** Makes the first attempt of a delivery {@link add}ed after the configured delay. */
  start(id: string): void {
    const entry = this.entries.find((each) => each.delivery.id === id);
    if (!entry || entry.delivery.status !== 'pending') return;
    if (this.closed) this.fail(entry, 'Not delivered: the sandbox was closed.');
    else this.schedule(entry, this.delayMs);
  }

  /** Forgets a delivery {@link add}ed whose request was not saved. */
  discard(id: string): void {
    const index = this.entries.findIndex((each) => each.delivery.id === id);
    if (index >= 0) this.entries.splice(index, 1);
  }

  /**
   * Takes back the deliveries a state file kept: pending ones are attempted when their next attempt was
   * due (at once if that time has passed, or if an attempt was under way when the sandbox stopped).
   */
  restore(deliveries: readonly WebhookDelivery[]): void {
    for (const saved of deliveries) {
      const entry: Entry = { delivery: copy(saved), timer: undefined, running: undefined, controller: undefined };
      this.entries.push(entry);
      if (saved.status !== 'pending') continue;
      const due = saved.nextAttemptAt === null ? 0 : Date.parse(saved.nextAttemptAt) - this.sandboxNow();
      this.schedule(entry, Math.max(0, due));
    }
  }

  /** The pending deliveries, and when each next attempt is due (null while one is under way). */
  pending(): { id: string; url: string; nextAttemptAt: string | null }[] {
    return this.entries.filter((entry) => entry.delivery.status === 'pending').map(({ delivery }) => ({ id: delivery.id, url: delivery.url, nextAttemptAt: delivery.nextAttemptAt }));
  }

  /** Every delivery kept, newest first. */
  deliveries(): WebhookDelivery[] {
    return this.entries.map((entry) => copy(entry.delivery)).reverse();
  }

  /**
   * Makes the next attempt of every pending delivery now, without waiting for its delay or backoff
   * (an attempt already under way is waited for, not doubled), and resolves once they are over, with
   * every delivery. A failed attempt is retried later as usual, or fails the delivery if it was the last.
   */
  async flush(): Promise<WebhookDelivery[]> {
    await Promise.all(this.entries.filter((entry) => entry.delivery.status === 'pending').map((entry) => entry.running ?? this.attempt(entry)));
    return this.deliveries();
  }

  /** Forgets every delivery (a reset): timers cleared, attempts under way abandoned, nothing recorded of them. */
  clear(): void {
    for (const entry of this.entries.splice(0)) {
      if (entry.timer !== undefined) this.timers.clearTimeout(entry.timer);
      entry.controller?.abort(new Suspended());
    }
  }

  /**
   * Stops delivering, so that nothing keeps the process alive; resolves once attempts under way have
   * settled. Without a state file, every pending delivery is cancelled (an attempt under way is
   * aborted; each is marked `failed`), and any added later fails at once. With one (`keepPending`),
   * pending deliveries stay pending, an attempt under way is not counted, and the state file keeps
   * them for the next start.
   */
  async close({ keepPending = false }: { keepPending?: boolean } = {}): Promise<void> {
    this.closed = true;
    const running = this.entries.map((entry) => entry.running).filter((each) => each !== undefined);
    for (const entry of this.entries) {
      if (!keepPending) {
        this.cancel(entry, 'Cancelled: the sandbox was closed.');
        continue;
      }
      if (entry.timer !== undefined) this.timers.clearTimeout(entry.timer);
      entry.timer = undefined;
      entry.controller?.abort(new Suspended());
    }
    await Promise.all(running);
  }

  private cancel(entry: Entry, reason: string): void {
    if (entry.delivery.status !== 'pending') return;
    if (entry.controller) entry.controller.abort(new Abandoned(reason, true));
    else this.fail(entry, reason);
  }

  private fail(entry: Entry, reason: string): void {
    if (entry.timer !== undefined) this.timers.clearTimeout(entry.timer);
    entry.timer = undefined;
    entry.delivery.status = 'failed';
    entry.delivery.error = reason;
    entry.delivery.nextAttemptAt = null;
    this.onChange(copy(entry.delivery));
  }

  private schedule(entry: Entry, ms: number): void {
    entry.delivery.nextAttemptAt = new Date(this.sandboxNow() + ms).toISOString();
    entry.timer = this.timers.setTimeout(() => {
      entry.timer = undefined;
      void this.attempt(entry);
    }, ms);
  }

  /** Keeps at most CAPACITY deliveries, dropping the oldest finished ones (pending ones are kept). */
  private trim(): void {
    let excess = this.entries.length - CAPACITY;
    for (let index = 0; excess > 0 && index < this.entries.length; ) {
      if (this.entries[index]!.delivery.status === 'pending') {
        index++;
        continue;
      }
      this.entries.splice(index, 1);
      excess--;
    }
  }

  private attempt(entry: Entry): Promise<void> {
    if (entry.running) return entry.running;
    if (entry.delivery.status !== 'pending') return Promise.resolve();
    if (entry.timer !== undefined) this.timers.clearTimeout(entry.timer);
    entry.timer = undefined;
    entry.delivery.nextAttemptAt = null;
    const run = this.send(entry).finally(() => {
      entry.running = undefined;
      entry.controller = undefined;
    });
    entry.running = run;
    return run;
  }

  private async send(entry: Entry): Promise<void> {
    const { delivery } = entry;
    const controller = new AbortController();
    entry.controller = controller;
    const number = delivery.attempts.length + 1;
    const at = new Date(this.sandboxNow()).toISOString();
    const started = this.timers.now();
    const timeout = this.timers.setTimeout(() => controller.abort(new Abandoned(`Timed out after ${this.timeoutMs} ms without an answer.`, false)), this.timeoutMs);
    let status: number | null = null;
    let error: string | null = null;
    let final = false;
    try {
      if (!isHttpUrl(delivery.url)) throw new Abandoned(`Only http and https URLs are delivered, not ${JSON.stringify(delivery.url)}`, true);
      const response = await this.post(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'connect-sandbox',
          'x-sandbox-delivery': delivery.id,
          'x-sandbox-attempt': String(number),
        },
        body: JSON.stringify(delivery.payload),
        redirect: 'manual',
        signal: controller.signal,
      });
      status = response.status;
      // The answer's body is not used: release the connection, without waiting for a slow body.
      void response.body?.cancel().catch(() => {});
    } catch (caught) {
      const reason: unknown = controller.signal.aborted ? controller.signal.reason : caught;
      error = describeError(reason);
      final = reason instanceof Abandoned && reason.final;
    } finally {
      this.timers.clearTimeout(timeout);
    }
    if (controller.signal.reason instanceof Suspended) return;
    const attempt: WebhookAttempt = { at, status, error, durationMs: Math.max(0, Math.round(this.timers.now() - started)) };
    delivery.attempts.push(attempt);
    if (status !== null && status >= 200 && status < 300) {
      delivery.status = 'delivered';
      this.onChange(copy(delivery));
    } else if (final || this.closed) {
      this.fail(entry, error ?? 'Cancelled: the sandbox was closed.');
    } else if (delivery.attempts.length >= this.maxAttempts) {
      this.fail(entry, `Not delivered after ${delivery.attempts.length} attempt${delivery.attempts.length > 1 ? 's' : ''}.`);
    } else {
      this.schedule(entry, this.retryDelayMs * 2 ** (delivery.attempts.length - 1));
      this.onChange(copy(delivery));
    }
    try {
      this.onAttempt?.(copy(delivery), { ...attempt });
    } catch {
      // A logger's failure is not the delivery's.
    }
  }
}

function copy(delivery: WebhookDelivery): WebhookDelivery {
  return { ...delivery, attempts: delivery.attempts.map((attempt) => ({ ...attempt })) };
}
