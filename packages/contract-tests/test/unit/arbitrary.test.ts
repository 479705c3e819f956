import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbitraryFor, mutationsOf } from '../../src/arbitrary.js';
import { listOperations, loadBundledSpec, type Json, type Schema } from '../../src/spec.js';
import { SchemaValidator } from '../../src/validator.js';

const document = loadBundledSpec();
const validator = new SchemaValidator(document);
const bodies = listOperations(document).flatMap((operation) => (operation.requestBody ? [{ operationId: operation.id, ...operation.requestBody }] : []));

describe('arbitraryFor', () => {
  it.each(bodies)('generates only bodies that conform, for $operationId', ({ schema, schemaPointer }) => {
    fc.assert(
      fc.property(arbitraryFor(document, schema), (body) => {
        expect(validator.validate(schemaPointer, body)).toEqual([]);
      }),
      { numRuns: 200, seed: 1 },
    );
  });

  it('covers the query parameters, within their bounds', () => {
    const parameters = listOperations(document).flatMap((operation) => operation.parameters);
    for (const parameter of parameters) {
      expect(parameter.schemaPointer, `${parameter.in} parameter ${parameter.name} has a schema`).toBeDefined();
      fc.assert(
        fc.property(arbitraryFor(document, parameter.schema), (value) => {
          expect(validator.validate(parameter.schemaPointer!, value)).toEqual([]);
        }),
        { numRuns: 100, seed: 1 },
      );
    }
  });

  it('refuses a keyword it does not understand rather than ignoring it', () => {
    expect(() => arbitraryFor(document, { type: 'string', contentEncoding: 'base64' } as Schema)).toThrow('No generator for the keywords contentEncoding');
  });
});

describe('mutationsOf', () => {
  const createCustomer = bodies.find((body) => body.operationId === 'createCustomer')!;

  it('finds every single-place flaw of a body, by pointer', () => {
    const mutations = mutationsOf(document, createCustomer.schema, { name: 'Acme' });
    expect(mutations.map((mutation) => `${mutation.pointer || '/'} is ${mutation.change}`)).toEqual([
      '/ is a string ("contract-tests")',
      '/name is missing',
      '/name is an integer (12345)',
      '/name is an empty string',
      '/name is 256 characters long',
    ]);
    for (const mutation of mutations) expect(validator.isValid(createCustomer.schemaPointer, mutation.apply({ name: 'Acme' }))).toBe(false);
  });

  it('reaches nested fields and array items without touching the original', () => {
    const metrics = bodies.find((body) => body.operationId === 'getMetricsData')!;
    const body = { customer_integration: '4addc0da-8583-4dbb-a0e9-c7e2e8470f50', start: '2024-01-01', end: '2024-01-31', metrics: [{ id: 'a', reference_key: 'ig:reach', component: 'number_v1', metrics: ['reach'] }] } as Json;
    const snapshot = structuredClone(body);
    const mutation = mutationsOf(document, metrics.schema, body).find((candidate) => candidate.pointer === '/metrics/0/component' && candidate.change === 'outside the enum')!;
    expect(mutation.apply(body)).toMatchObject({ metrics: [{ component: 'not-in-the-enum' }] });
    expect(body).toEqual(snapshot);
    expect(validator.isValid(metrics.schemaPointer, mutation.apply(body))).toBe(false);
  });
});
