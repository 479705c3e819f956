/**
 * `@reportei-connect/client/webhooks`: checks the payload getMetricsDataAsync POSTs to your webhook.
 * A subpath of its own, so the main entry stays small.
 */
import type { MetricsDataResponse } from '@reportei-connect/types';
import { validateMetricsWebhook as compiledValidator } from './generated/metrics-webhook-validator.js';

export interface WebhookIssue {
  /** JSON pointer to the malformed value; `''` is the whole payload. */
  pointer: string;
  message: string;
}

/** The webhook payload does not match the spec's `MetricsDataResponse`. */
export class MetricsWebhookError extends Error {
  override readonly name = 'MetricsWebhookError';
  /** JSON pointer of the first malformed value; `''` is the whole payload. */
  readonly pointer: string;
  /** Every problem found. */
  readonly issues: WebhookIssue[];

  constructor(issues: WebhookIssue[]) {
    const [first] = issues;
    const pointer = first?.pointer ?? '';
    super(
      `The metrics webhook payload is malformed at ${pointer ? `"${pointer}"` : 'its root'}: ${first?.message ?? 'invalid'}. ` +
        'Answer the webhook with a 4xx status and check that it comes from getMetricsDataAsync.',
    );
    this.pointer = pointer;
    this.issues = issues;
  }
}

interface AjvError {
  instancePath: string;
  message?: string;
}

/** The Ajv standalone function compiled from the spec: it reports problems on its `errors` property. */
const validateMetricsWebhook = compiledValidator as ((data: unknown) => boolean) & { errors?: AjvError[] | null };

/**
 * Checks a metrics webhook body (parsed JSON, or the raw text or bytes) and returns it typed, or throws
 * a MetricsWebhookError naming the JSON pointer of what is malformed.
 */
export function parseMetricsWebhook(body: unknown): MetricsDataResponse {
  let payload = body;
  if (typeof body === 'string' || body instanceof Uint8Array) {
    try {
      payload = JSON.parse(typeof body === 'string' ? body : new TextDecoder().decode(body));
    } catch {
      throw new MetricsWebhookError([{ pointer: '', message: 'the body is not JSON' }]);
    }
  }
  if (validateMetricsWebhook(payload)) return payload as MetricsDataResponse;
  const seen = new Set<string>();
  const issues: WebhookIssue[] = [];
  for (const { instancePath, message = 'is invalid' } of validateMetricsWebhook.errors ?? []) {
    const key = `${instancePath} ${message}`;
    if (!seen.has(key)) issues.push({ pointer: instancePath, message });
    seen.add(key);
  }
  throw new MetricsWebhookError(issues);
}
