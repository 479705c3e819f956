import { createValidator, flattenAllOf, formatErrors, listOperations, securitySchemes, valueAt, type Auth } from '@reportei-connect/spec-model';
import { describe, expect, it } from 'vitest';
import { bundled } from './load.js';

const operations = listOperations(bundled);
const components = bundled.components as Record<string, Record<string, unknown>>;

/**
 * The operations this document must describe, with who may call them, whether a client may retry them
 * and whether they change state on the server. The one list of the repository: other suites check
 * their behaviour for every operation `listOperations` gives them, and this test keeps that list right.
 */
const expected: [id: string, method: string, path: string, auth: Auth, retryable: boolean, changesState: boolean, trialGated: boolean][] = [
  ['getMerchantSettings', 'GET', '/merchants/settings', 'merchant', true, false, false],
  ['listCustomers', 'GET', '/customers', 'merchant', true, false, false],
  ['createCustomer', 'POST', '/customers', 'merchant', false, true, false],
  ['getCustomerSettings', 'GET', '/customers/settings', 'merchant+customer', true, false, false],
  ['getCustomer', 'GET', '/customers/{uuid}', 'merchant', true, false, false],
  ['updateCustomer', 'PUT', '/customers/{uuid}', 'merchant', true, true, false],
  ['deleteCustomer', 'DELETE', '/customers/{uuid}', 'merchant', true, true, false],
  ['updateCustomerPaymentStatus', 'POST', '/customers/{uuid}/update-payment-status', 'merchant', false, true, false],
  ['createIntegrationSession', 'POST', '/customer-integrations/session', 'merchant+customer', false, true, true],
  ['listCustomerIntegrations', 'GET', '/customer-integrations', 'merchant+customer', true, false, true],
  ['getCustomerIntegration', 'GET', '/customer-integrations/{uuid}', 'merchant+customer', true, false, true],
  ['deleteCustomerIntegration', 'DELETE', '/customer-integrations/{uuid}', 'merchant+customer', true, true, true],
  // A POST that only reads: x-idempotent (a client may retry it) and x-changes-state: false.
  ['getMetricsData', 'POST', '/metrics/get-data', 'merchant+customer', true, false, true],
  // Triggers a delivery to the merchant's webhook: changes state, never retried.
  ['getMetricsDataAsync', 'POST', '/metrics/get-data-async', 'merchant+customer', false, true, true],
];

describe('document', () => {
  it('is OpenAPI 3.1 with the 2020-12 dialect and its servers', () => {
    expect(bundled.openapi).toMatch(/^3\.1\.\d+$/);
    expect(bundled.jsonSchemaDialect).toBe('https://json-schema.org/draft/2020-12/schema');
    expect((bundled.servers as { url: string }[]).map((s) => s.url)).toEqual(['https://connect.reportei.com/api', 'http://127.0.0.1:4011/api', 'http://127.0.0.1:4010']);
  });

  it('defines the bearer and x-customer-token schemes', () => {
    expect(components.securitySchemes).toMatchObject({
      merchantToken: { type: 'http', scheme: 'bearer' },
      customerToken: { type: 'apiKey', in: 'header', name: 'x-customer-token' },
    });
    expect(securitySchemes(bundled)).toEqual({
      merchant: { name: 'merchantToken', scheme: 'bearer', header: 'authorization' },
      customer: { name: 'customerToken', header: 'x-customer-token' },
    });
  });

  it('never uses discriminator, which Prism cannot read', () => {
    expect(JSON.stringify(bundled)).not.toContain('"discriminator"');
  });

  it('names the schemas the SDK exposes', () => {
    const schemas = Object.keys(components.schemas!);
    for (const name of ['Merchant', 'Customer', 'CustomerIntegration', 'IntegrationSession', 'PaginationMeta', 'Error', 'ValidationError', 'MetricRequest', 'NumberResult', 'ChartResult', 'DatatableResult']) {
      expect(schemas).toContain(name);
    }
  });
});

describe('operations', () => {
  it(`are exactly the ${expected.length} documented ones`, () => {
    expect(operations.map((o) => o.id).sort()).toEqual(expected.map(([id]) => id).sort());
  });

  describe.each(expected)('%s', (id, method, path, auth, retryable, changesState, trialGated) => {
    const operation = operations.find((o) => o.id === id)!;

    it(`is ${method} ${path}`, () => {
      expect(operation && [operation.method, operation.path]).toEqual([method, path]);
    });

    it(`needs the ${auth === 'merchant+customer' ? 'bearer and customer token together' : 'bearer alone'}`, () => {
      expect(operation.auth).toBe(auth);
      expect(operation.security).toEqual([auth === 'merchant+customer' ? ['merchantToken', 'customerToken'] : ['merchantToken']]);
    });

    it(`${retryable ? 'may' : 'may not'} be retried and ${changesState ? 'changes' : 'does not change'} state`, () => {
      expect({ retryable: operation.retryable, changesState: operation.changesState }).toEqual({ retryable, changesState });
    });

    it(`${trialGated ? 'is' : 'is not'} refused once the customer's trial is over (x-trial-gated)`, () => {
      expect(operation.trialGated).toBe(trialGated);
      // Only a customer has a trial: a merchant-only operation cannot be gated by one.
      if (trialGated) expect(operation.auth).toBe('merchant+customer');
    });

    it('documents its success, 401, 429 and 500 responses', () => {
      const codes = operation.responses.map((response) => response.status);
      expect(codes.some((code) => /^2\d\d$/.test(code))).toBe(true);
      expect(codes).toEqual(expect.arrayContaining(['401', '429', '500']));
    });

    it('documents 404 when addressed by uuid and 422 when it takes a body or query', () => {
      const codes = operation.responses.map((response) => response.status);
      if (path.includes('{uuid}')) expect(codes).toContain('404');
      if (operation.requestBody || operation.parameters.some((p) => p.in === 'query')) {
        expect(operation.responses.find((response) => response.status === '422')?.schemaPointer).toBe('/components/schemas/ValidationError');
      }
    });

    it('sends the rate-limit headers on success and Retry-After on 429', () => {
      const success = operation.responses.find((response) => response.status.startsWith('2'));
      expect(Object.keys(success!.headers)).toEqual(['X-RateLimit-Limit', 'X-RateLimit-Remaining']);
      expect(Object.keys(operation.responses.find((response) => response.status === '429')!.headers)).toContain('Retry-After');
    });

    it('answers JSON only', () => {
      expect([...new Set([...(operation.requestBody?.mediaTypes ?? []), ...operation.responses.flatMap((response) => response.mediaTypes)])]).toEqual(['application/json']);
    });
  });

  it('says where a POST does not change state, and never calls it safe without saying it may be retried', () => {
    expect(operations.filter((o) => 'x-changes-state' in o.extensions).map((o) => o.id)).toEqual(['getMetricsData']);
    expect(operations.filter((o) => !o.changesState && !o.retryable).map((o) => o.id)).toEqual([]);
  });

  it('describes the webhook POSTed by getMetricsDataAsync as a callback', () => {
    const operation = operations.find((o) => o.id === 'getMetricsDataAsync')!;
    expect(operation.callbackOperations.map(({ callback, expression, method, id }) => ({ callback, expression, method, id }))).toEqual([
      { callback: 'metricsReady', expression: '{$request.body#/metrics_webhook_url}', method: 'POST', id: 'receiveMetricsWebhook' },
    ]);
    expect(operation.callbackOperations[0]!.requestBody?.schemaPointer).toBe('/components/schemas/MetricsDataResponse');
  });
});

/**
 * The steps OpenAPI can express between operations, as `links` on the responses that give the value:
 * [from operation, status, link name, to operation, { parameter: runtime expression }].
 */
const expectedLinks: [from: string, status: string, name: string, to: string, parameters: Record<string, string>][] = [
  ['createCustomer', '201', 'GetCustomer', 'getCustomer', { uuid: '$response.body#/customer/uuid' }],
  ['createCustomer', '201', 'UpdateCustomer', 'updateCustomer', { uuid: '$response.body#/customer/uuid' }],
  ['createCustomer', '201', 'UpdateCustomerPaymentStatus', 'updateCustomerPaymentStatus', { uuid: '$response.body#/customer/uuid' }],
  ['createCustomer', '201', 'DeleteCustomer', 'deleteCustomer', { uuid: '$response.body#/customer/uuid' }],
  ['createIntegrationSession', '200', 'DeleteCustomerIntegration', 'deleteCustomerIntegration', { session_id: '$response.body#/integration_session/session_uuid' }],
];

describe('links', () => {
  const validator = createValidator(bundled);
  const declared = operations.flatMap((operation) =>
    operation.responses.flatMap((response) => Object.entries(response.links).map(([name, link]) => ({ operation, response, name, link }))),
  );

  it('are exactly the expected ones', () => {
    expect(declared.map(({ operation, response, name, link }) => [operation.id, response.status, name, link.operationId, link.parameters])).toEqual(expectedLinks);
  });

  it.each(declared.map((each) => [`${each.operation.id} ${each.response.status} ${each.name}`, each] as const))(
    '%s: names a real operation and its parameters, and takes values that exist in the response and fit those parameters',
    (_, { response, link }) => {
      expect(link.operationRef).toBeUndefined();
      expect(typeof link.description).toBe('string');
      const target = operations.find((operation) => operation.id === link.operationId);
      expect(target, `operation ${String(link.operationId)}`).toBeDefined();
      const examples = Object.values(response.examples);
      expect(examples.length).toBeGreaterThan(0);
      for (const [name, expression] of Object.entries(link.parameters as Record<string, string>)) {
        const parameter = target!.parameters.find((candidate) => candidate.name === name);
        expect(parameter, `parameter ${name} of ${target!.id}`).toBeDefined();
        const match = /^\$response\.body#(\/.*)$/.exec(expression);
        expect(match, expression).not.toBeNull();
        // The response's schema requires the value, and every example has one the parameter accepts.
        let schema: any = flattenAllOf(bundled, response.schema);
        for (const key of match![1]!.slice(1).split('/')) {
          expect(schema.required ?? [], `${expression} is required`).toContain(key);
          schema = flattenAllOf(bundled, schema.properties[key]);
        }
        for (const example of examples) {
          const value = valueAt(example, match![1]!);
          expect(formatErrors(validator.validate(parameter!.schemaPointer!, value)), `${expression} in an example`).toEqual([]);
        }
      }
    },
  );
});
