import { describe, expect, it } from 'vitest';
import { documentedResponse, listOperations, loadBundledSpec, type OpenApiDocument } from '../../src/spec.js';
import { uncoveredOperations } from '../../src/suite.js';

const document = loadBundledSpec();
const operations = listOperations(document);
const byId = (operationId: string) => operations.find((operation) => operation.id === operationId)!;

describe('listOperations', () => {
  it("lists spec-model's operations, leaving out the webhook callback", () => {
    expect(operations.length).toBeGreaterThan(0);
    expect(operations.map((operation) => operation.id)).not.toContain('receiveMetricsWebhook');
  });

  it('gives every operation the headers of its credentials: the bearer token, and the customer token where it is customer-scoped', () => {
    for (const operation of operations) {
      const headers = operation.credentials.map((credential) => credential.header);
      expect(headers, operation.id).toEqual(operation.auth === 'merchant' ? ['authorization'] : ['authorization', 'x-customer-token']);
      expect(operation.credentials[0]!.format('t')).toBe('Bearer t');
    }
    expect(byId('listCustomers').auth).toBe('merchant');
    expect(byId('getMetricsData').auth).toBe('merchant+customer');
  });

  it('finds the response of every status an operation documents, and its JSON schema', () => {
    for (const operation of operations) {
      for (const response of operation.responses) {
        expect(documentedResponse(operation, Number(response.status)), `${operation.id} ${response.status}`).toBe(response);
        expect(response.schemaPointer, `${operation.id} ${response.status}`).toBeDefined();
      }
    }
    expect(documentedResponse(byId('getCustomer'), 200)!.schemaPointer).toBe('/components/responses/CustomerFound/content/application~1json/schema');
  });
});

describe('documentedResponse', () => {
  const spec = (responses: Record<string, unknown>): OpenApiDocument => ({
    openapi: '3.1.0',
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths: { '/things': { get: { operationId: 'listThings', responses } } },
  });

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
    const grown = structuredClone(document) as OpenApiDocument & { paths: Record<string, object> };
    grown.paths['/reports'] = { get: { operationId: 'listReports', responses: { '200': { description: 'ok' } } } };
    expect(uncoveredOperations(listOperations(grown))).toEqual(['listReports']);
  });

  it('passes for the spec as it is', () => {
    expect(uncoveredOperations(operations)).toEqual([]);
  });
});
