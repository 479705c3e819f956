import { describe, expect, test } from 'vitest';
import { MetricsWebhookError, parseMetricsWebhook } from '../src/webhooks.js';

const payload = {
  'f35a44ce-dac5-4188-aace-5c44a8952176': { values: 55645, comparison: { values: null, difference: null, absoluteDifference: null } },
  '3051ed66-a05c-462a-aece-e1d900e78b02': { labels: ['Male', 'Female'], values: [{ data: [12628, 8815] }] },
  'b3a949ac-f6ae-4bd1-bb90-1e8e0cbe8ed5': { values: [['Email', 2, 0.0002]] },
};

/** The MetricsWebhookError that parsing `body` throws. */
function rejection(body: unknown, options?: Parameters<typeof parseMetricsWebhook>[1]): MetricsWebhookError {
  try {
    parseMetricsWebhook(body, options);
  } catch (error) {
    expect(error).toBeInstanceOf(MetricsWebhookError);
    return error as MetricsWebhookError;
  }
  throw new Error('parseMetricsWebhook accepted a malformed payload');
}

describe('parseMetricsWebhook', () => {
  test('returns a valid payload, given parsed, as text or as bytes (Uint8Array, Buffer, ArrayBuffer, DataView; UTF-8, BOM ignored)', () => {
    const text = JSON.stringify(payload);
    const bytes = new TextEncoder().encode(text);
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]);
    for (const body of [payload, text, `\uFEFF${text}`, bytes, Buffer.from(text), bytes.buffer, withBom, withBom.buffer, new DataView(withBom.buffer), withBom.subarray(3)]) {
      expect(parseMetricsWebhook(body)).toEqual(payload);
    }
    expect(parseMetricsWebhook(payload)).not.toBe(payload); // a copy
    expect(parseMetricsWebhook({})).toEqual({});
    expect(parseMetricsWebhook(Object.assign(Object.create(null), payload))).toEqual(payload);
  });

  test('rejects what is neither text, bytes nor parsed JSON: an ArrayBuffer of something else, a Map, a Date, class instances, undefined', () => {
    const expected = 'the body must be its text, its bytes (Uint8Array or ArrayBuffer) or its parsed JSON (plain objects and arrays)';
    class Result {
      values = 1;
    }
    for (const body of [new Map([['a', { values: 1 }]]), new Date(0), new Result(), { a: new Result() }, { a: { values: new Date(0) } }, { a: { values: Number.NaN } }, { a: { values: 1, extra: undefined } }, undefined, () => ({}), 1n, Symbol('x'), new Set(), new Blob(['{}']), new Response('{}')]) {
      const error = rejection(body);
      expect(error.pointer).toBe('');
      expect(error.message).toBe(`The metrics webhook payload is malformed at its root: ${expected}. Answer the webhook with a 4xx status and check that it comes from getMetricsDataAsync.`);
    }
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(rejection(cyclic).message).toContain(expected);
    expect(rejection(new Uint8Array([0x7b, 0xff, 0x7d])).message).toContain('the body is not UTF-8 text');
    expect(rejection(new Uint8Array([0x5b, 0x5d]).buffer).message).toMatch(/malformed at its root: must be object/);
  });

  test('rejects a body over maxBytes (5 MiB by default) before parsing it', () => {
    // 6 MiB of entries that are all invalid: rejected by the size check, so nothing is parsed or validated.
    const huge = `{${Array.from({ length: (6 * 1024 * 1024) / 10 }, (_, i) => `"${i.toString(36).padStart(6, '0')}":1`).join(',')}}`;
    expect(huge.length).toBeGreaterThan(6 * 1024 * 1024);
    for (const body of [huge, new TextEncoder().encode(huge), new TextEncoder().encode(huge).buffer]) {
      const error = rejection(body);
      expect(error).toMatchObject({ pointer: '', issues: [{ pointer: '', message: 'the body is larger than maxBytes (5242880 bytes)' }] });
    }
    const text = JSON.stringify(payload);
    const size = new TextEncoder().encode(text).byteLength;
    expect(parseMetricsWebhook(text, { maxBytes: size })).toEqual(payload);
    expect(parseMetricsWebhook(payload, { maxBytes: size })).toEqual(payload);
    for (const body of [text, payload, new TextEncoder().encode(text)]) {
      expect(rejection(body, { maxBytes: size - 1 }).message).toContain(`larger than maxBytes (${size - 1} bytes)`);
    }
    // UTF-8 bytes, not UTF-16 units: "é" is two bytes.
    expect(rejection('{"é":{"values":1}}', { maxBytes: 18 }).message).toContain('larger than maxBytes');
    expect(parseMetricsWebhook('{"é":{"values":1}}', { maxBytes: 19 })).toEqual({ é: { values: 1 } });
    expect(() => parseMetricsWebhook(text, { maxBytes: 0 })).toThrow(new TypeError('parseMetricsWebhook: maxBytes must be a positive integer (bytes).'));
  });

  test('stops collecting after 20 issues, however many entries are malformed', () => {
    const entries = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`e${i}`, i]));
    const error = rejection(JSON.stringify(entries));
    expect(error.issues).toHaveLength(20);
    expect(error.pointer).toBe('/e0');
    expect(error.issues.map((issue) => issue.pointer)).toContain('/e1');
    expect(error.issues.some((issue) => issue.pointer === '/e100')).toBe(false);
  });

  test('returns nothing that can pollute a prototype: own __proto__ keys are dropped', () => {
    const text = '{"__proto__":{"polluted":{"values":1}},"a":{"values":1,"__proto__":{"x":1}},"b":{"values":[["x"]],"nested":{"__proto__":{"y":1}}}}';
    for (const body of [text, new TextEncoder().encode(text), JSON.parse(text)]) {
      const result = parseMetricsWebhook(body);
      expect(Object.keys(result)).toEqual(['a', 'b']);
      expect(Object.hasOwn(result, '__proto__')).toBe(false);
      expect(Object.hasOwn(result.a!, '__proto__')).toBe(false);
      const target = Object.assign({}, result, result.a, (result.b as { nested: object }).nested);
      expect(Object.getPrototypeOf(target)).toBe(Object.prototype);
      expect({ ...result }).not.toHaveProperty('polluted');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }
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
