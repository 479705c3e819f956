import { describe, expect, test } from 'vitest';
import { generateWebhookValidator } from './generate.mjs';

const ok = { '200': { description: 'ok' } };

/** A spec whose one operation has a `metricsReady` callback with this body schema. @param {unknown} schema */
const callbackSpec = (schema) => ({
  openapi: '3.1.0',
  info: { title: 't', version: '1' },
  security: [{ bearer: [] }],
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    schemas: { Thing: { type: 'object', properties: { name: { type: 'string', description: 'annotations are dropped' } } } },
  },
  paths: {
    '/jobs': {
      post: {
        operationId: 'startJob',
        responses: ok,
        callbacks: { metricsReady: { '{$request.body#/url}': { post: { requestBody: { content: { 'application/json': { schema } } }, responses: ok } } } },
      },
    },
  },
});

describe('generateWebhookValidator', () => {
  test('compiles the callback body schema to self-contained code', () => {
    const source = generateWebhookValidator(callbackSpec({ type: 'object', additionalProperties: { $ref: '#/components/schemas/Thing' } }));
    expect(source.startsWith('// @ts-nocheck\n')).toBe(true);
    expect(source).toContain('export const validateMetricsWebhook');
    expect(source).not.toMatch(/\brequire\(/);
    expect(source).not.toContain('annotations are dropped');
  });

  test('fails when the spec has no metricsReady callback', () => {
    const document = callbackSpec({});
    const { callbacks: _, ...operation } = document.paths['/jobs'].post;
    expect(() => generateWebhookValidator({ ...document, paths: { '/jobs': { post: operation } } })).toThrow('No operation has a `metricsReady` callback');
    expect(() => generateWebhookValidator({ ...document, paths: {} })).toThrow('No operation has a `metricsReady` callback');
  });

  test('fails when the schema needs Ajv at run time', () => {
    expect(() => generateWebhookValidator(callbackSpec({ type: 'string', minLength: 2 }))).toThrow('needs Ajv runtime helpers');
  });
});
