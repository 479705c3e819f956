import { securitySchemes } from '@reportei-connect/spec-model';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { OperationId } from '@reportei-connect/client';
import { contracts, type ContractTable } from '../../src/operations.js';
import { listOperations, loadBundledSpec, responseFor, type OpenApiDocument } from '../../src/spec.js';
import { staleContracts, uncoveredOperations } from '../../src/suite.js';

const document = loadBundledSpec();
const operations = listOperations(document);
const byId = (operationId: string) => operations.find((operation) => operation.id === operationId)!;

describe('listOperations', () => {
  it("lists spec-model's operations, leaving out the webhook callback", () => {
    expect(operations.length).toBeGreaterThan(0);
    expect(operations.map((operation) => operation.id)).not.toContain('receiveMetricsWebhook');
  });

  it("gives every operation the credentials of its security requirement, as the document's security schemes name them", () => {
    const schemes = securitySchemes(document);
    for (const operation of operations) {
      const expected = operation.auth === 'merchant' ? [schemes.merchant] : [schemes.merchant, schemes.customer!];
      expect(operation.credentials.map(({ scheme, header }) => ({ scheme, header })), operation.id).toEqual(expected.map(({ name, header }) => ({ scheme: name, header })));
      expect(operation.credentials[0]!.format('t')).toBe('Bearer t');
    }
    expect(byId('listCustomers').auth).toBe('merchant');
    expect(byId('getMetricsData').auth).toBe('merchant+customer');
  });

  it('documents a JSON schema for every status of every operation', () => {
    for (const operation of operations) {
      for (const response of operation.responses) expect(responseFor(operation, Number(response.status))?.schemaPointer, `${operation.id} ${response.status}`).toBeDefined();
    }
  });
});

describe('the coverage gate', () => {
  it('names an operation added to the spec without a contract', () => {
    const grown = structuredClone(document) as OpenApiDocument & { paths: Record<string, object> };
    grown.paths['/reports'] = { get: { operationId: 'listReports', responses: { '200': { description: 'ok' } } } };
    expect(uncoveredOperations(listOperations(grown))).toEqual(['listReports']);
  });

  it('names a contract whose operation left the spec', () => {
    expect(staleContracts(operations.filter((operation) => operation.id !== 'getCustomer'))).toEqual(['getCustomer']);
  });

  it('passes for the spec as it is', () => {
    expect(uncoveredOperations(operations)).toEqual([]);
    expect(staleContracts(operations)).toEqual([]);
  });

  it("is a type error too: the table's keys are exactly the client's operation ids, generated from the same spec", () => {
    // Checked by tsc (`pnpm lint`, and the first step of `pnpm test`), not at run time.
    expectTypeOf<keyof typeof contracts>().toEqualTypeOf<OperationId>();
    const { getMerchantSettings: _, ...withoutOne } = contracts;
    // @ts-expect-error: a table without an entry for getMerchantSettings is refused.
    const incomplete: ContractTable = withoutOne;
    expect(Object.keys(incomplete)).not.toContain('getMerchantSettings');
  });
});
