import { describe, expect, it } from 'vitest';
import { assertExchange, checkExchange } from '../../src/check.js';
import type { Exchange } from '../../src/exchange.js';
import { listOperations, loadBundledSpec } from '../../src/spec.js';
import { SchemaValidator } from '../../src/validator.js';
import { ContractViolationError, formatViolation } from '../../src/violations.js';

const document = loadBundledSpec();
const validator = new SchemaValidator(document);
const operation = (operationId: string) => listOperations(document).find((candidate) => candidate.id === operationId)!;

const rateLimit = { 'x-ratelimit-limit': '999', 'x-ratelimit-remaining': '998' };
const customer = { uuid: 'caedbbbe-7d93-476f-b965-bf97cd7ce874', name: 'Acme', created_at: '2024-09-24 17:07:34', updated_at: '2024-09-24 17:07:34' };

function exchange(status: number, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json', ...rateLimit }): Exchange {
  return {
    method: 'GET',
    url: new URL('http://127.0.0.1/customers/caedbbbe-7d93-476f-b965-bf97cd7ce874'),
    response: { status, headers: new Headers(headers), text: typeof body === 'string' ? body : JSON.stringify(body) },
    error: undefined,
  };
}

const check = (operationId: string, sample: Exchange, expected: Parameters<typeof checkExchange>[3] = 'success') =>
  checkExchange(validator, operation(operationId), sample, expected).map(formatViolation);

describe('checkExchange', () => {
  it('accepts a response that honours the spec', () => {
    expect(check('getCustomer', exchange(200, { customer }))).toEqual([]);
  });

  it('names the pointer, expected and actual of a field of the wrong type', () => {
    expect(check('getCustomer', exchange(200, { customer: { ...customer, uuid: 42 } }))).toEqual([
      'getCustomer 200 /body/customer/uuid: expected type string, got 42',
    ]);
  });

  it('names a missing required field by its own pointer', () => {
    const { name: _, ...nameless } = customer;
    expect(check('getCustomer', exchange(200, { customer: nameless }))).toEqual(['getCustomer 200 /body/customer/name: expected a value (required property), got nothing']);
  });

  it('reports missing and malformed required headers', () => {
    expect(check('getCustomer', exchange(200, { customer }, { 'content-type': 'application/json', 'x-ratelimit-limit': 'lots' }))).toEqual([
      'getCustomer 200 /headers/x-ratelimit-limit: expected type integer, got "lots"',
      'getCustomer 200 /headers/x-ratelimit-remaining: expected the X-RateLimit-Remaining header (required), got nothing',
    ]);
  });

  it('wants JSON where the spec documents JSON', () => {
    expect(check('getCustomer', exchange(200, '<html></html>', { 'content-type': 'text/html', ...rateLimit }))).toEqual([
      'getCustomer 200 /headers/content-type: expected one of application/json, got "text/html"',
    ]);
    expect(check('getCustomer', exchange(200, 'not json', { 'content-type': 'application/json', ...rateLimit }))).toEqual([
      'getCustomer 200 /body: expected a JSON document, got "not json"',
    ]);
  });

  it('fails every 5xx, documented or not', () => {
    const clientErrors = operation('getCustomer').responses.map((response) => response.status).filter((status) => status.startsWith('4'));
    expect(clientErrors).toEqual(expect.arrayContaining(['401', '404', '422', '429']));
    expect(check('getCustomer', exchange(500, { message: 'Server Error' }), 'client error')).toEqual([
      `getCustomer 500 /status: expected a documented 4xx (${clientErrors.join(', ')}), got 500, and a 5xx is always a failure: "{\\"message\\":\\"Server Error\\"}"`,
    ]);
  });

  it('fails a status the operation does not document, even a 2xx', () => {
    expect(check('getCustomer', exchange(201, { customer }))).toEqual([
      'getCustomer 201 /status: expected a documented 2xx (200), got 201, which the spec does not document for this operation',
    ]);
  });

  it('fails a documented status of the wrong kind, and still checks its body', () => {
    expect(check('getCustomer', exchange(404, {}), [401])).toEqual([
      'getCustomer 404 /status: expected 401, got 404',
      'getCustomer 404 /body/message: expected a value (required property), got nothing',
    ]);
  });

  it('reports a request that got no response', () => {
    const failed: Exchange = { method: 'GET', url: new URL('http://127.0.0.1:9/merchants/settings'), response: undefined, error: new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') }) };
    expect(check('getMerchantSettings', failed)).toEqual(['getMerchantSettings no response /status: expected a documented 2xx (200), got no response: fetch failed (connect ECONNREFUSED)']);
  });

  it('says which alternatives a value matches none of, once, instead of every alternative\'s complaint', () => {
    expect(check('getMetricsData', exchange(200, { a: { values: 1 }, b: 'text' }))).toEqual([
      'getMetricsData 200 /body/b: expected one of NumberResult, ChartResult, DatatableResult, ComponentResult, got "text"',
    ]);
  });
});

describe('assertExchange', () => {
  it('throws one error listing every violation with the request that caused them, and no headers', () => {
    const sample = exchange(200, { customer: { ...customer, uuid: 42, name: null } });
    let thrown: unknown;
    try {
      assertExchange(validator, operation('getCustomer'), sample, 'success');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ContractViolationError);
    expect((thrown as Error).message).toBe(
      [
        'getCustomer: 2 contract violations for GET /customers/caedbbbe-7d93-476f-b965-bf97cd7ce874',
        '  - getCustomer 200 /body/customer/uuid: expected type string, got 42',
        '  - getCustomer 200 /body/customer/name: expected type string, got null',
      ].join('\n'),
    );
  });
});
