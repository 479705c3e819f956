import { describe, expect, it } from 'vitest';
import { resolveRef } from '../lib/refs.js';
import { bundled, type Json, type JsonObject } from './load.js';

type Operation = JsonObject & { operationId: string; responses: Record<string, Json> };
const methods = ['get', 'put', 'post', 'delete', 'patch'] as const;

function operationsOf(paths: JsonObject) {
  return Object.entries(paths).flatMap(([path, item]) =>
    methods.flatMap((method) => {
      const operation = (item as JsonObject)[method] as Operation | undefined;
      return operation ? [{ path, method, operation, pathItem: item as JsonObject }] : [];
    }),
  );
}

const operations = operationsOf(bundled.paths as JsonObject);

/** The operations this document must describe, with who may call them. */
const expected = [
  ['getMerchantSettings', 'get', '/merchants/settings', 'merchant'],
  ['listCustomers', 'get', '/customers', 'merchant'],
  ['createCustomer', 'post', '/customers', 'merchant'],
  ['getCustomerSettings', 'get', '/customers/settings', 'customer'],
  ['getCustomer', 'get', '/customers/{uuid}', 'merchant'],
  ['updateCustomer', 'put', '/customers/{uuid}', 'merchant'],
  ['deleteCustomer', 'delete', '/customers/{uuid}', 'merchant'],
  ['updateCustomerPaymentStatus', 'post', '/customers/{uuid}/update-payment-status', 'merchant'],
  ['createIntegrationSession', 'post', '/customer-integrations/session', 'customer'],
  ['listCustomerIntegrations', 'get', '/customer-integrations', 'customer'],
  ['getCustomerIntegration', 'get', '/customer-integrations/{uuid}', 'customer'],
  ['deleteCustomerIntegration', 'delete', '/customer-integrations/{uuid}', 'customer'],
  ['getMetricsData', 'post', '/metrics/get-data', 'customer'],
  ['getMetricsDataAsync', 'post', '/metrics/get-data-async', 'customer'],
] as const;

const securityOf = (operation: Operation) => (operation.security ?? bundled.security) as Record<string, string[]>[];

describe('document', () => {
  it('is OpenAPI 3.1 with the 2020-12 dialect and both servers', () => {
    expect(bundled.openapi).toMatch(/^3\.1\.\d+$/);
    expect(bundled.jsonSchemaDialect).toBe('https://json-schema.org/draft/2020-12/schema');
    expect((bundled.servers as JsonObject[]).map((s) => s.url)).toEqual(['https://connect.reportei.com/api', 'http://127.0.0.1:4010']);
  });

  it('defines the bearer and x-customer-token schemes', () => {
    const schemes = (bundled.components as JsonObject).securitySchemes;
    expect(schemes).toMatchObject({
      merchantToken: { type: 'http', scheme: 'bearer' },
      customerToken: { type: 'apiKey', in: 'header', name: 'x-customer-token' },
    });
  });

  it('never uses discriminator, which Prism cannot read', () => {
    expect(JSON.stringify(bundled)).not.toContain('"discriminator"');
  });

  it('names the schemas the SDK exposes', () => {
    const schemas = Object.keys((bundled.components as JsonObject).schemas as JsonObject);
    for (const name of ['Merchant', 'Customer', 'CustomerIntegration', 'IntegrationSession', 'PaginationMeta', 'Error', 'ValidationError', 'MetricRequest', 'NumberResult', 'ChartResult', 'DatatableResult']) {
      expect(schemas).toContain(name);
    }
  });
});

describe('operations', () => {
  it('are exactly the fourteen documented ones', () => {
    expect(operations.map((o) => o.operation.operationId).sort()).toEqual(expected.map(([id]) => id).sort());
  });

  describe.each(expected)('%s', (operationId, method, path, audience) => {
    const found = operations.find((o) => o.operation.operationId === operationId);
    const operation = found?.operation as Operation;

    it(`is ${method.toUpperCase()} ${path}`, () => {
      expect(found && [found.method, found.path]).toEqual([method, path]);
    });

    it(`needs the ${audience === 'customer' ? 'bearer and customer token together' : 'bearer alone'}`, () => {
      const requirement = audience === 'customer' ? { merchantToken: [], customerToken: [] } : { merchantToken: [] };
      expect(securityOf(operation)).toEqual([requirement]);
    });

    it('documents its success, 401, 429 and 500 responses', () => {
      const codes = Object.keys(operation.responses);
      expect(codes.some((code) => /^2\d\d$/.test(code))).toBe(true);
      expect(codes).toEqual(expect.arrayContaining(['401', '429', '500']));
    });

    it('documents 404 when addressed by uuid and 422 when it takes a body or query', () => {
      const codes = Object.keys(operation.responses);
      if (path.includes('{uuid}')) expect(codes).toContain('404');
      const parameters = [...((found?.pathItem.parameters as Json[]) ?? []), ...((operation.parameters as Json[]) ?? [])].map((p) => resolveRef<JsonObject>(bundled, p));
      if (operation.requestBody || parameters.some((p) => p.in === 'query')) {
        const invalid = resolveRef(bundled, operation.responses['422']);
        expect(resolveRef(bundled, (invalid.content as JsonObject)['application/json'] as JsonObject).schema).toEqual({ $ref: '#/components/schemas/ValidationError' });
      }
    });

    it('sends the rate-limit headers on success and Retry-After on 429', () => {
      const success = Object.entries(operation.responses).find(([code]) => code.startsWith('2'));
      expect(Object.keys(resolveRef(bundled, success?.[1]).headers as JsonObject)).toEqual(['X-RateLimit-Limit', 'X-RateLimit-Remaining']);
      expect(Object.keys(resolveRef(bundled, operation.responses['429']).headers as JsonObject)).toContain('Retry-After');
    });
  });

  it('marks getMetricsData, and only POSTs that read, as safe to repeat', () => {
    const repeatable = operations.filter((o) => o.operation['x-idempotent'] === true).map((o) => o.operation.operationId);
    expect(repeatable).toEqual(['getMetricsData']);
  });

  it('describes the webhook POSTed by getMetricsDataAsync as a callback', () => {
    const operation = operations.find((o) => o.operation.operationId === 'getMetricsDataAsync')!.operation;
    const callback = (operation.callbacks as JsonObject).metricsReady as JsonObject;
    const post = (callback['{$request.body#/metrics_webhook_url}'] as JsonObject).post as JsonObject;
    const media = ((post.requestBody as JsonObject).content as JsonObject)['application/json'] as JsonObject;
    expect(media.schema).toEqual({ $ref: '#/components/schemas/MetricsDataResponse' });
  });
});
