import { describe, expect, test } from 'vitest';
import { MetricsWebhookError, parseMetricsWebhook } from '../src/webhooks.js';

const payload = {
  'f35a44ce-dac5-4188-aace-5c44a8952176': { values: 55645, comparison: { values: null, difference: null, absoluteDifference: null } },
  '3051ed66-a05c-462a-aece-e1d900e78b02': { labels: ['Male', 'Female'], values: [{ data: [12628, 8815] }] },
  'b3a949ac-f6ae-4bd1-bb90-1e8e0cbe8ed5': { values: [['Email', 2, 0.0002]] },
};

/** The MetricsWebhookError that parsing `body` throws. */
function rejection(body: unknown): MetricsWebhookError {
  try {
    parseMetricsWebhook(body);
  } catch (error) {
    expect(error).toBeInstanceOf(MetricsWebhookError);
    return error as MetricsWebhookError;
  }
  throw new Error('parseMetricsWebhook accepted a malformed payload');
}

describe('parseMetricsWebhook', () => {
  test('returns a valid payload, given parsed, as text or as bytes', () => {
    expect(parseMetricsWebhook(payload)).toBe(payload);
    expect(parseMetricsWebhook(JSON.stringify(payload))).toEqual(payload);
    expect(parseMetricsWebhook(new TextEncoder().encode(JSON.stringify(payload)))).toEqual(payload);
    expect(parseMetricsWebhook({})).toEqual({});
  });

  test('names the JSON pointer of a malformed entry', () => {
    const error = rejection({ ...payload, broken: 42 });
    expect(error.pointer).toBe('/broken');
    expect(error.message).toBe(
      'The metrics webhook payload is malformed at "/broken": must be object. Answer the webhook with a 4xx status and check that it comes from getMetricsDataAsync.',
    );
    expect(error.issues).toContainEqual({ pointer: '/broken', message: 'must match a schema in anyOf' });
    expect(new Set(error.issues.map((issue) => `${issue.pointer} ${issue.message}`)).size).toBe(error.issues.length);
  });

  test('rejects a payload that is not an object, or not JSON', () => {
    expect(rejection([1, 2]).message).toMatch(/malformed at its root: must be object/);
    expect(rejection('{"a": ').message).toMatch(/malformed at its root: the body is not JSON/);
    expect(rejection(null).pointer).toBe('');
  });
});
