import { describe, expect, it } from 'vitest';
import { documentedResponse, listOperations, loadBundledSpec, type JsonObject } from '../../src/spec.js';
import { uncoveredOperations } from '../../src/suite.js';

const document = loadBundledSpec();
const operations = listOperations(document);
const byId = (operationId: string) => operations.find((operation) => operation.operationId === operationId)!;

describe('listOperations', () => {
  it('finds the 14 operations, leaving out the webhook callback', () => {
    expect(operations.map((operation) => operation.operationId)).toHaveLength(14);
    expect(operations.map((operation) => operation.operationId)).not.toContain('receiveMetricsWebhook');
  });

  it('reads who may call each operation, from its own security or the global one', () => {
    expect(byId('listCustomers').security.map((scheme) => scheme.header)).toEqual(['Authorization']);
    expect(byId('getMetricsData').security.map((scheme) => scheme.header)).toEqual(['Authorization', 'x-customer-token']);
    expect(byId('getMetricsData').security[0]!.format('t')).toBe('Bearer t');
  });

  it('merges path-level and operation-level parameters, following $refs', () => {
    const parameters = byId('deleteCustomerIntegration').parameters;
    expect(parameters.map((parameter) => [parameter.in, parameter.name, parameter.required])).toEqual([
      ['path', 'uuid', true],
      ['query', 'session_id', true],
    ]);
    expect(parameters[0]!.schemaPointer).toBe('/components/parameters/CustomerIntegrationUuid/schema');
  });

  it('locates response schemas and headers through shared responses', () => {
    const found = documentedResponse(byId('getCustomer'), 200)!;
    expect(found.jsonSchemaPointer).toBe('/components/responses/CustomerFound/content/application~1json/schema');
    expect(found.headers.map((header) => [header.name, header.required])).toEqual([
      ['X-RateLimit-Limit', true],
      ['X-RateLimit-Remaining', true],
    ]);
  });

  it('counts as writes everything but GET and x-idempotent operations', () => {
    const writes = operations.filter((operation) => operation.writes).map((operation) => operation.operationId);
    expect(writes).toContain('createCustomer');
    expect(writes).toContain('getMetricsDataAsync');
    expect(writes).not.toContain('getMetricsData');
    expect(writes).not.toContain('listCustomers');
  });
});

describe('documentedResponse', () => {
  const spec = (responses: JsonObject): JsonObject => ({ paths: { '/things': { get: { operationId: 'listThings', responses } } } });

  it('prefers the exact status, then its range, then default', () => {
    const [operation] = listOperations(spec({ '200': { description: 'ok' }, '4XX': { description: 'client' }, default: { description: 'other' } }));
    expect(documentedResponse(operation!, 200)?.status).toBe('200');
    expect(documentedResponse(operation!, 404)?.status).toBe('4XX');
    expect(documentedResponse(operation!, 503)?.status).toBe('default');
  });

  it('answers undefined for a status the operation does not document', () => {
    const [operation] = listOperations(spec({ '200': { description: 'ok' } }));
    expect(documentedResponse(operation!, 204)).toBeUndefined();
  });
});

describe('the coverage gate', () => {
  it('names an operation added to the spec without a contract', () => {
    const grown = structuredClone(document) as { paths: Record<string, JsonObject> };
    grown.paths['/reports'] = { get: { operationId: 'listReports', responses: { '200': { description: 'ok' } } } };
    expect(uncoveredOperations(listOperations(grown as unknown as JsonObject))).toEqual(['listReports']);
  });

  it('passes for the spec as it is', () => {
    expect(uncoveredOperations(operations)).toEqual([]);
  });
});
