import { startMock } from '@reportei-connect/mock';
import { describe, expect, inject, it } from 'vitest';
import { securitySchemes } from '@reportei-connect/spec-model';
import { checks } from '../../src/checks.js';
import { listOperations, loadBundledSpec } from '../../src/spec.js';
import { startBrokenServer, type Answer, type Breakage } from './broken-server.js';
import { childRun } from './child-suite.js';
import '../contract/provided.js';

const asObject = (value: unknown) => value as Record<string, Record<string, unknown>>;

const positive = (operationId: string) => `${operationId} answers a documented 2xx with conforming JSON and headers, through the client`;
const generated = (operationId: string, part: 'body' | 'query') => `${operationId} property: every ${part} generated from the schema gets a conforming 2xx`;

/** A breakage that answers this status and body instead. */
const answerWith = (status: number, body: unknown) => (answer: Answer) => Object.assign(answer, { status, body });

const customerScheme = securitySchemes(loadBundledSpec()).customer!;

/**
 * Each way the loopback server breaks the spec, the named check that must catch it, the tests that
 * must fail and what their reports must say. Together they show every check of src/checks.ts failing.
 */
const breakages: (Breakage & { breaks: string; check: string; failingTests: string[]; report: string[] })[] = [
  {
    operationId: 'getMerchantSettings',
    breaks: 'a field of the wrong type and a missing required field',
    check: 'response_schema_conformance',
    success: (answer) => {
      asObject(answer.body).merchant!.total_customers = '2';
      delete asObject(answer.body).merchant!.name;
    },
    failingTests: [positive('getMerchantSettings')],
    report: [
      'getMerchantSettings 200 /body/merchant/name: expected a value (required property), got nothing [response_schema_conformance]',
      'getMerchantSettings 200 /body/merchant/total_customers: expected type integer, got "2" [response_schema_conformance]',
    ],
  },
  {
    operationId: 'getCustomer',
    breaks: 'a documented error for a valid request',
    check: 'positive_data_acceptance',
    success: answerWith(404, { message: 'No query results for model [Customer].' }),
    failingTests: [positive('getCustomer')],
    report: ['getCustomer 404 /status: expected a documented 2xx (200), got 404 [positive_data_acceptance]'],
  },
  {
    operationId: 'getCustomerSettings',
    breaks: 'an undocumented status',
    check: 'status_code_conformance',
    success: (answer) => void (answer.status = 203),
    failingTests: [positive('getCustomerSettings')],
    report: ['getCustomerSettings 203 /status: expected a documented 2xx (200), got 203, which the spec does not document for this operation [status_code_conformance]'],
  },
  {
    operationId: 'getCustomerIntegration',
    breaks: 'a missing rate-limit header',
    check: 'response_headers_conformance',
    success: (answer) => void delete answer.headers['x-ratelimit-remaining'],
    failingTests: [positive('getCustomerIntegration')],
    report: ['getCustomerIntegration 200 /headers/x-ratelimit-remaining: expected the X-RateLimit-Remaining header (required), got nothing [response_headers_conformance]'],
  },
  {
    operationId: 'getCustomerIntegration',
    breaks: 'a success for an unknown uuid',
    check: 'negative_data_rejection',
    failure: (answer) => void (answer.status === 404 && (answer.status = 200)),
    failingTests: ['getCustomerIntegration answers 404 for an unknown uuid'],
    report: ['getCustomerIntegration 200 /status: expected 404, got 200 [negative_data_rejection]'],
  },
  {
    operationId: 'getMetricsDataAsync',
    breaks: 'a 5xx',
    check: 'not_a_server_error',
    success: answerWith(500, { message: 'Server Error' }),
    failingTests: [positive('getMetricsDataAsync')],
    report: ['getMetricsDataAsync 500 /status: expected a documented 2xx (200), got 500, and a 5xx is always a failure: "{\\"message\\":\\"Server Error\\"}" [not_a_server_error]'],
  },
  {
    operationId: 'listCustomerIntegrations',
    breaks: 'no check of the customer token',
    check: 'ignored_auth',
    request: (headers) => void (headers[customerScheme.header] ??= 'anything'),
    failingTests: [`listCustomerIntegrations answers 401 without its ${customerScheme.name} (${customerScheme.header}) credential`],
    report: ['listCustomerIntegrations 200 /status: expected 401, got 200 [ignored_auth]'],
  },
  {
    operationId: 'listCustomers',
    breaks: 'JSON said to be HTML',
    check: 'content_type_conformance',
    success: (answer) => void (answer.headers['content-type'] = 'text/html; charset=utf-8'),
    failingTests: [positive('listCustomers'), generated('listCustomers', 'query')],
    report: ['listCustomers 200 /headers/content-type: expected one of application/json, got "text/html; charset=utf-8" [content_type_conformance]'],
  },
  {
    operationId: 'updateCustomerPaymentStatus',
    breaks: 'a connection closed without an answer',
    check: 'response_received',
    success: (answer) => void (answer.drop = true),
    failingTests: [positive('updateCustomerPaymentStatus'), generated('updateCustomerPaymentStatus', 'body')],
    report: ['updateCustomerPaymentStatus no response /status: expected a documented 2xx (200), got no response: fetch failed'],
  },
  {
    operationId: 'getMetricsData',
    breaks: 'a result for a metric that was not requested',
    check: 'response_semantics_conformance',
    success: (answer) => void (asObject(answer.body)['not-requested'] = { values: 1 }),
    failingTests: [positive('getMetricsData')],
    report: ['getMetricsData 200 /body/not-requested: expected no result for a metric that was not requested, got {"values":1} [response_semantics_conformance]'],
  },
];

describe('the contract suite, pointed at a server that breaks the spec', () => {
  // The operations' cases only: the scenarios need a server with state, and have their own self test.
  const run = childRun('test/contract/contract.test.ts', async (stops) => {
    const document = loadBundledSpec();
    // The `contract` project's mock when it runs too (test/contract/target.setup.ts), else one of its own.
    let upstream = inject('mockUrl');
    if (upstream === undefined) {
      const mock = await startMock();
      stops.push(mock.stop);
      upstream = mock.url;
    }
    const server = await startBrokenServer({ upstream, document, operations: listOperations(document), breakages });
    stops.push(server.close);
    return {
      CONNECT_BASE_URL: server.url,
      CONNECT_TOKEN: 'self-test-merchant-token',
      CONNECT_CUSTOMER_TOKEN: 'self-test-customer-token',
      // The spec's example integration, which the stand-in server knows.
      CONNECT_CUSTOMER_INTEGRATION: '4addc0da-8583-4dbb-a0e9-c7e2e8470f50',
      CONNECT_ALLOW_WRITES: '1',
      CONNECT_PROPERTY_RUNS: '5',
    };
  });

  it('fails the run', () => {
    expect(run.exitCode).toBe(1);
  });

  it('fails exactly the tests of the broken operations, each named after its operation', () => {
    const failed = run.results.filter((result) => result.status === 'failed').map((result) => result.title);
    expect(failed.sort()).toEqual([...new Set(breakages.flatMap((breakage) => breakage.failingTests))].sort());
  });

  it('shows every named check failing', () => {
    expect(breakages.map((breakage) => breakage.check).sort()).toEqual(checks.map((check) => check.name).sort());
  });

  for (const breakage of breakages) {
    it(`reports ${breakage.breaks} in ${breakage.operationId} (${breakage.check}) with its status and JSON pointer, expected against actual`, () => {
      for (const title of breakage.failingTests) {
        const result = run.results.find((candidate) => candidate.title === title);
        expect(result?.status, title).toBe('failed');
        const message = result!.failureMessages.join('\n');
        for (const line of breakage.report) expect(message, title).toContain(line);
        expect(message, title).toContain(`[${breakage.check}]`);
      }
    });
  }

  it('ran the stateful flow and the other operations, and skipped only what a server must not get', () => {
    const passed = run.results.filter((result) => result.status === 'passed').map((result) => result.title);
    expect(passed).toContain('createCustomer answers a documented 2xx with conforming JSON and headers, through the client');
    expect(passed).toContain('deleteCustomer answers a documented 2xx with conforming JSON and headers, through the client');
    expect(passed).toContain('getMetricsData answers 422 when the body\'s /metrics is missing');
    expect(passed).toContain('getCustomer answers 404 for an unknown uuid');
    const skipped = run.results.filter((result) => result.status === 'skipped').map((result) => result.title);
    expect(skipped).toContain('deleteCustomerIntegration answers a documented 2xx with conforming JSON and headers, through the client');
    expect(skipped).toContain('getMetricsData property: every body generated from the schema gets a conforming 2xx');
    expect(skipped.every((title) => /^(deleteCustomerIntegration|getMetricsData|getMetricsDataAsync|createCustomer) /.test(title))).toBe(true);
  });
});
