import { describe, expect, it } from 'vitest';
import * as checksModule from '../../src/checks.js';
import { accepted, assertExchange, checks, rejected, runChecks, unauthenticated, type Check, type CheckContext, type Expectation } from '../../src/checks.js';
import type { Exchange } from '../../src/exchange.js';
import { contracts } from '../../src/operations.js';
import { listOperations, loadBundledSpec } from '../../src/spec.js';
import { SchemaValidator } from '../../src/validator.js';
import { ContractViolationError, formatViolation } from '../../src/violations.js';

const document = loadBundledSpec();
const validator = new SchemaValidator(document);
const operation = (operationId: string) => listOperations(document).find((candidate) => candidate.id === operationId)!;

const rateLimit = { 'x-ratelimit-limit': '999', 'x-ratelimit-remaining': '998' };
const json = { 'content-type': 'application/json', ...rateLimit };
const customer = { uuid: 'caedbbbe-7d93-476f-b965-bf97cd7ce874', name: 'Acme', created_at: '2024-09-24 17:07:34', updated_at: '2024-09-24 17:07:34' };

function exchange(status: number, body: unknown, headers: Record<string, string> = json): Exchange {
  return {
    method: 'GET',
    url: new URL('http://127.0.0.1/customers/caedbbbe-7d93-476f-b965-bf97cd7ce874'),
    response: { status, headers: new Headers(headers), text: typeof body === 'string' ? body : JSON.stringify(body) },
    error: undefined,
  };
}

const contextOf = (operationId: string, expected: Expectation = accepted, semantics?: CheckContext['semantics']): CheckContext => ({
  operation: operation(operationId),
  validator,
  expected,
  ...(semantics && { semantics }),
});

const check = (operationId: string, sample: Exchange, expected: Expectation = accepted) => runChecks(contextOf(operationId, expected), sample).map(formatViolation);

describe('the list of checks', () => {
  it('registers every check the module exports, each under its own snake_case name', () => {
    const exported = Object.entries(checksModule).filter(([name, value]) => typeof value === 'function' && /^[a-z]+(?:_[a-z]+)+$/.test(name));
    expect(checks.map((each) => each.name).sort()).toEqual(exported.map(([name]) => name).sort());
    expect(new Set(checks.map((each) => each.name)).size).toBe(checks.length);
  });
});

/** For each check: an exchange that only it fails, and the violation it reports. */
const failures: Record<string, { context: CheckContext; exchange: Exchange; report: string }> = {
  response_received: {
    context: contextOf('getMerchantSettings'),
    exchange: { method: 'GET', url: new URL('http://127.0.0.1:9/merchants/settings'), response: undefined, error: new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') }) },
    report: 'getMerchantSettings no response /status: expected a documented 2xx (200), got no response: fetch failed (connect ECONNREFUSED) [response_received]',
  },
  not_a_server_error: {
    context: contextOf('getCustomer', rejected(422)),
    exchange: exchange(500, { message: 'Server Error' }),
    report: 'getCustomer 500 /status: expected 422, got 500, and a 5xx is always a failure: "{\\"message\\":\\"Server Error\\"}" [not_a_server_error]',
  },
  status_code_conformance: {
    context: contextOf('getCustomer'),
    exchange: exchange(201, { customer }),
    report: 'getCustomer 201 /status: expected a documented 2xx (200), got 201, which the spec does not document for this operation [status_code_conformance]',
  },
  positive_data_acceptance: {
    context: contextOf('getCustomer'),
    exchange: exchange(404, { message: 'Customer not found.' }),
    report: 'getCustomer 404 /status: expected a documented 2xx (200), got 404 [positive_data_acceptance]',
  },
  negative_data_rejection: {
    context: contextOf('getCustomer', rejected(404)),
    exchange: exchange(200, { customer }),
    report: 'getCustomer 200 /status: expected 404, got 200 [negative_data_rejection]',
  },
  ignored_auth: {
    context: contextOf('getCustomer', unauthenticated),
    exchange: exchange(200, { customer }),
    report: 'getCustomer 200 /status: expected 401, got 200 [ignored_auth]',
  },
  response_headers_conformance: {
    context: contextOf('getCustomer'),
    exchange: exchange(200, { customer }, { 'content-type': 'application/json', 'x-ratelimit-limit': '999' }),
    report: 'getCustomer 200 /headers/x-ratelimit-remaining: expected the X-RateLimit-Remaining header (required), got nothing [response_headers_conformance]',
  },
  content_type_conformance: {
    context: contextOf('getCustomer'),
    exchange: exchange(200, { customer }, { 'content-type': 'text/html; charset=utf-8', ...rateLimit }),
    report: 'getCustomer 200 /headers/content-type: expected one of application/json, got "text/html; charset=utf-8" [content_type_conformance]',
  },
  response_schema_conformance: {
    context: contextOf('getCustomer'),
    exchange: exchange(200, { customer: { ...customer, uuid: 42 } }),
    report: 'getCustomer 200 /body/customer/uuid: expected type string, got 42 [response_schema_conformance]',
  },
  response_semantics_conformance: {
    context: contextOf('getMetricsData', accepted, (body) => contracts.getMetricsData.verify!(body, { body: { metrics: [{ id: 'reach' }] } }, validator)),
    exchange: exchange(200, { reach: { values: 1 }, extra: { values: 2 } }),
    report: 'getMetricsData 200 /body/extra: expected no result for a metric that was not requested, got {"values":2} [response_semantics_conformance]',
  },
};

describe.each(checks.map((each) => [each.name, each] as [string, Check]))('%s', (name, each) => {
  it('is shown failing here, and reports the operation, status, pointer and its own name', () => {
    const failure = failures[name];
    expect(failure, `add an exchange that ${name} fails to \`failures\``).toBeDefined();
    expect(each(failure!.context, failure!.exchange).map(formatViolation)).toEqual([failure!.report]);
  });

  it('is the only check that fails that exchange', () => {
    const { context, exchange: sample } = failures[name]!;
    const others = checks.filter((other) => other !== each).flatMap((other) => other(context, sample));
    expect(others.map(formatViolation)).toEqual([]);
  });
});

describe('runChecks', () => {
  it('accepts a response that honours the spec', () => {
    expect(check('getCustomer', exchange(200, { customer }))).toEqual([]);
    expect(check('getCustomer', exchange(404, { message: 'No query results.' }), rejected(404))).toEqual([]);
    expect(check('getCustomer', exchange(401, { message: 'Unauthenticated.' }), unauthenticated)).toEqual([]);
  });

  it('names a missing required field by its own pointer', () => {
    const { name: _, ...nameless } = customer;
    expect(check('getCustomer', exchange(200, { customer: nameless }))).toEqual([
      'getCustomer 200 /body/customer/name: expected a value (required property), got nothing [response_schema_conformance]',
    ]);
  });

  it('reports malformed headers by their schema', () => {
    expect(check('getCustomer', exchange(200, { customer }, { 'content-type': 'application/json', 'x-ratelimit-limit': 'lots', 'x-ratelimit-remaining': '1' }))).toEqual([
      'getCustomer 200 /headers/x-ratelimit-limit: expected type integer, got "lots" [response_headers_conformance]',
    ]);
  });

  it('reads the body only when it is said to be JSON, and says when it is not JSON', () => {
    expect(check('getCustomer', exchange(200, '<html></html>', { 'content-type': 'text/html', ...rateLimit }))).toEqual([
      'getCustomer 200 /headers/content-type: expected one of application/json, got "text/html" [content_type_conformance]',
    ]);
    expect(check('getCustomer', exchange(200, 'not json'))).toEqual(['getCustomer 200 /body: expected a JSON document, got "not json" [response_schema_conformance]']);
  });

  it('fails a 5xx once, documented or not, and nothing else about it', () => {
    const clientErrors = operation('getCustomer').responses.map((response) => response.status).filter((status) => status.startsWith('4'));
    expect(check('getCustomer', exchange(503, 'Service Unavailable', {}), rejected())).toEqual([
      `getCustomer 503 /status: expected a documented 4xx (${clientErrors.join(', ')}), got 503, and a 5xx is always a failure: "Service Unavailable" [not_a_server_error]`,
    ]);
  });

  it('still checks the body of a documented status of the wrong kind', () => {
    expect(check('getCustomer', exchange(404, {}), unauthenticated)).toEqual([
      'getCustomer 404 /status: expected 401, got 404 [ignored_auth]',
      'getCustomer 404 /body/message: expected a value (required property), got nothing [response_schema_conformance]',
    ]);
  });

  it("applies the operation's own rules only to a body that conforms to its schema", () => {
    const verify = (body: unknown) => contracts.getMetricsData.verify!(body, { body: { metrics: [{ id: 'reach' }] } }, validator);
    expect(runChecks(contextOf('getMetricsData', accepted, verify), exchange(200, { reach: { values: 1 } }))).toEqual([]);
    expect(runChecks(contextOf('getMetricsData', accepted, verify), exchange(200, {})).map(formatViolation)).toEqual([
      'getMetricsData 200 /body/reach: expected the result of the requested metric, got nothing [response_semantics_conformance]',
    ]);
    expect(runChecks(contextOf('getMetricsData', accepted, verify), exchange(200, { b: 'text' })).map((violation) => violation.check)).toEqual(['response_schema_conformance']);
  });

  it("holds getMetricsData's results to their components' schemas, which its response schema alone does not", () => {
    const verify = (body: unknown) => contracts.getMetricsData.verify!(body, { body: { metrics: [{ id: 'reach', component: 'number_v1' }] } }, validator);
    const chart = { labels: ['2024-09-24'], values: [{ data: [1] }] };
    expect(check('getMetricsData', exchange(200, { reach: chart }))).toEqual([]);
    expect(runChecks(contextOf('getMetricsData', accepted, verify), exchange(200, { reach: chart })).map(formatViolation)).toEqual([
      'getMetricsData 200 /body/reach/values: expected type number,null (a number_v1 result), got [{"data":[1]}] [response_semantics_conformance]',
    ]);
  });

  it("says which alternatives a value matches none of, once, instead of every alternative's complaint", () => {
    expect(check('getMetricsData', exchange(200, { a: { values: 1 }, b: 'text' }))).toEqual([
      'getMetricsData 200 /body/b: expected one of NumberResult, ChartResult, DatatableResult, ComponentResult, got "text" [response_schema_conformance]',
    ]);
  });
});

describe('assertExchange', () => {
  it('throws one error listing every violation with the request that caused them, and no headers', () => {
    const sample = exchange(200, { customer: { ...customer, uuid: 42, name: null } });
    let thrown: unknown;
    try {
      assertExchange(contextOf('getCustomer'), sample);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ContractViolationError);
    expect((thrown as Error).message).toBe(
      [
        'getCustomer: 2 contract violations for GET /customers/caedbbbe-7d93-476f-b965-bf97cd7ce874',
        '  - getCustomer 200 /body/customer/uuid: expected type string, got 42 [response_schema_conformance]',
        '  - getCustomer 200 /body/customer/name: expected type string, got null [response_schema_conformance]',
      ].join('\n'),
    );
  });
});
