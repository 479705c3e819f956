import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { integrations, metric } from '../src/index.js';
import { requireFromPackage } from './load.js';

type Operation = { operationId?: string };
const spec = JSON.parse(readFileSync(requireFromPackage.resolve('@reportei-connect/openapi/openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, Operation>>;
};

/** A validator for the JSON request body of the operation with this operationId, in the bundled spec. */
function requestBodyValidator(operationId: string) {
  const escape = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');
  const [path, method] =
    Object.entries(spec.paths)
      .flatMap(([path, item]) => Object.entries(item).map(([method, operation]) => [path, method, operation] as const))
      .find(([, , operation]) => operation.operationId === operationId) ?? [];
  if (!path || !method) throw new Error(`No operation ${operationId} in the bundled spec`);
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  // ajv-formats is CommonJS: under NodeNext the default import is `module.exports`, whose `default` is the plugin.
  addFormatsModule.default(ajv);
  ajv.addSchema(spec, 'openapi');
  const validate = ajv.getSchema(`openapi#/paths/${escape(path)}/${method}/requestBody/content/application~1json/schema`);
  if (!validate) throw new Error(`No JSON request body schema for ${operationId}`);
  return (body: unknown) => (validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`));
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
