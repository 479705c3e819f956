import { createValidator, formatErrors, listOperations, loadDocument } from '@reportei-connect/spec-model';
import { describe, expect, it } from 'vitest';
import { integrations, metric } from '../src/index.js';
import { requireFromPackage } from './load.js';

const spec = loadDocument(requireFromPackage.resolve('@reportei-connect/openapi/openapi.json'));
const validator = createValidator(spec);

/** A validator for the JSON request body of the operation with this operationId, in the bundled spec. */
function requestBodyValidator(operationId: string) {
  const operation = listOperations(spec).find((candidate) => candidate.id === operationId);
  if (!operation?.requestBody) throw new Error(`No operation ${operationId} with a JSON request body in the bundled spec`);
  const { schemaPointer } = operation.requestBody;
  return (body: unknown) => formatErrors(validator.validate(schemaPointer, body));
}

describe("every catalogued metric against getMetricsData's request schema", () => {
  const validate = requestBodyValidator('getMetricsData');
  const body = (metrics: unknown[]) => ({
    customer_integration: '1b4e28ba-2fa1-4d2e-8d7a-5f6c7d8e9f00',
    start: '2025-01-01',
    end: '2025-01-31',
    metrics,
  });

  it('rejects a request the schema forbids (the validator is live)', () => {
    expect(validate(body([{ reference_key: 'ig:reach', component: 'number_v1', metrics: ['reach'] }]))).toContain(
      "/metrics/0 must have required property 'id'",
    );
  });

  for (const integration of integrations) {
    it(`accepts each of ${integration.slug}'s ${integration.referenceKeys.length} metrics`, () => {
      const failures = integration.referenceKeys.flatMap((key) =>
        validate(body([metric(key)])).map((message) => `${key}: ${message}`),
      );
      expect(failures).toEqual([]);
    });
  }

  it('accepts them all in one request', () => {
    expect(validate(body(integrations.flatMap((integration) => integration.referenceKeys.map((key) => metric(key)))))).toEqual([]);
  });
});
