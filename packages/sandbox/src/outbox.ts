/**
 * Webhook deliveries the sandbox owes: today, the results of `getMetricsDataAsync`, to be POSTed to
 * the request's `metrics_webhook_url` (the spec's `metricsReady` callback).
 *
 * Delivery itself is not implemented yet: jobs are queued and kept, so that a sender (a loop that
 * POSTs each job, retries with backoff, and records the outcome) can be added without touching the
 * operations that enqueue them.
 */
export interface WebhookJob {
  /** The callback it fulfils, as the spec names it. */
  callback: 'metricsReady';
  url: string;
  /** The JSON body to POST: the same object `getMetricsData` answers with. */
  payload: unknown;
  /** The customer and integration it was computed for. */
  customer: string;
  integration: string;
  /** When it was queued, on the sandbox clock. */
  queuedAt: string;
}

export class Outbox {
  private readonly jobs: WebhookJob[] = [];

  constructor(private readonly capacity = 100) {}

  enqueue(job: WebhookJob): void {
    this.jobs.push(job);
    if (this.jobs.length > this.capacity) this.jobs.shift();
  }

  /** The jobs waiting for delivery, oldest first. */
  pending(): readonly WebhookJob[] {
    return [...this.jobs];
  }

  clear(): void {
    this.jobs.length = 0;
  }
}
