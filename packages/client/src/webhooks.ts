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

export interface ParseMetricsWebhookOptions {
  /** The largest body accepted, in UTF-8 bytes (text is measured as UTF-8, parsed JSON as its JSON text). Default 5 MiB (5242880). */
  maxBytes?: number | undefined;
}

/** The default `maxBytes` of `parseMetricsWebhook`: 5 MiB. */
const MAX_WEBHOOK_BYTES = 5 * 1024 * 1024;
/** `issues` stops at this many problems, so that a large malformed payload costs little. */
const MAX_WEBHOOK_ISSUES = 20;

/** The webhook payload does not match the spec's `MetricsDataResponse`. */
export class MetricsWebhookError extends Error {
  override readonly name = 'MetricsWebhookError';
  /** JSON pointer of the first malformed value; `''` is the whole payload. */
  readonly pointer: string;
  /** The problems found, in order, at most `MAX_WEBHOOK_ISSUES` (20). */
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

const rootIssue = (message: string) => new MetricsWebhookError([{ pointer: '', message }]);

/** Whether `value` may appear in parsed JSON: a plain object or array, a string, a finite number, a boolean or null. */
function isJsonValue(value: unknown): boolean {
  if (value === null || ['string', 'boolean'].includes(typeof value)) return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || Array.isArray(value)) return Array.isArray(value);
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** The body as JSON text, or a MetricsWebhookError for anything that is not text, bytes or parsed JSON. */
function jsonText(body: unknown, maxBytes: number): string {
  const tooLarge = () => rootIssue(`the body is larger than maxBytes (${maxBytes} bytes)`);
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) {
    if (body.byteLength > maxBytes) throw tooLarge();
    try {
      // Strict UTF-8; a byte order mark is dropped.
      return new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      throw rootIssue('the body is not UTF-8 text');
    }
  }
  let text: string;
  if (typeof body === 'string') {
    text = body.replace(/^\uFEFF/, '');
  } else {
    try {
      // `this[key]` is the value before any toJSON (a Date's, say), which must not pass for JSON.
      text = JSON.stringify(body, function (this: Record<string, unknown>, key, value: unknown) {
        if (!isJsonValue(this[key])) throw new TypeError('not JSON');
        return value;
      });
    } catch {
      throw rootIssue('the body must be its text, its bytes (Uint8Array or ArrayBuffer) or its parsed JSON (plain objects and arrays)');
    }
  }
  // A string is at least as many UTF-8 bytes as UTF-16 units: measure exactly only when it may fit.
  if (text.length > maxBytes || new TextEncoder().encode(text).byteLength > maxBytes) throw tooLarge();
  return text;
}

/**
 * Checks a metrics webhook body and returns it typed, or throws a MetricsWebhookError naming the JSON
 * pointer of what is malformed. `body` is the raw text, the raw bytes (`Uint8Array`, `ArrayBuffer`,
 * a Node `Buffer`: UTF-8) or the already parsed JSON (plain objects and arrays only). Bodies larger
 * than `options.maxBytes` (default 5 MiB) are rejected before being parsed.
 *
 * The result is a fresh copy made of plain objects and arrays, without any `__proto__` key, so
 * spreading or `Object.assign`-ing it cannot change a prototype.
 */
export function parseMetricsWebhook(body: unknown, options?: ParseMetricsWebhookOptions): MetricsDataResponse {
  const maxBytes = options?.maxBytes ?? MAX_WEBHOOK_BYTES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) throw new TypeError('parseMetricsWebhook: maxBytes must be a positive integer (bytes).');
  const text = jsonText(body, maxBytes);
  let payload: unknown;
  try {
    // An own `__proto__` key would become a prototype wherever the result is assigned: drop it.
    payload = JSON.parse(text, (key, value: unknown) => (key === '__proto__' ? undefined : value));
  } catch {
    throw rootIssue('the body is not JSON');
  }
  // Validated entry by entry (the payload is an object of results), stopping after
  // MAX_WEBHOOK_ISSUES problems, so that a payload of many bad entries does not collect them all.
  const parts =
    payload !== null && typeof payload === 'object' && !Array.isArray(payload) ? Object.entries(payload).map(([key, value]) => ({ [key]: value })) : [payload];
  const seen = new Set<string>();
  const issues: WebhookIssue[] = [];
  for (const part of parts) {
    if (validateMetricsWebhook(part)) continue;
    for (const { instancePath, message = 'is invalid' } of validateMetricsWebhook.errors ?? []) {
      const key = `${instancePath} ${message}`;
      if (!seen.has(key)) issues.push({ pointer: instancePath, message });
      seen.add(key);
    }
    if (issues.length >= MAX_WEBHOOK_ISSUES) break;
  }
  if (issues.length) throw new MetricsWebhookError(issues.slice(0, MAX_WEBHOOK_ISSUES));
  return payload as MetricsDataResponse;
}
