import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
// @ts-expect-error plain ESM tool without type declarations
import { generateOperations, readOperations } from '../../../tools/codegen-client/generate.mjs';
// @ts-expect-error plain ESM tool without type declarations
import { generateWebhookValidator } from '../../../tools/codegen-webhook-validator/generate.mjs';

const ok = { '200': { description: 'ok' } };

/** A small spec: a bearer scheme, a customer API-key header, and the given paths. */
function spec(paths: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    openapi: '3.1.0',
    info: { title: 't', version: '1' },
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, customer: { type: 'apiKey', in: 'header', name: 'X-Customer-Token' } },
      schemas: { Thing: { type: 'object', properties: { name: { type: 'string' }, uuid: { type: 'string' } } } },
    },
    paths,
    ...extra,
  };
}

const body = (schema: unknown) => ({ required: true, content: { 'application/json': { schema } } });

describe('tools/codegen-client', () => {
  test('reads where each field goes, who may call and what may be retried', () => {
    const { operations, customerTokenHeader } = readOperations(
      spec({
        '/things/{id}': {
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          get: { operationId: 'getThing', parameters: [{ name: 'expand', in: 'query', schema: { type: 'array', items: { type: 'string' } } }], responses: ok },
          post: { operationId: 'renameThing', requestBody: body({ $ref: '#/components/schemas/Thing' }), responses: ok, security: [{ bearer: [], customer: [] }] },
          put: { operationId: 'putThing', 'x-idempotent': false, responses: ok },
        },
        '/search': { post: { operationId: 'search', 'x-idempotent': true, requestBody: body({ allOf: [{ type: 'object', properties: { q: {} } }, { properties: { limit: {} } }] }), responses: ok } },
      }),
    );
    expect(customerTokenHeader).toBe('x-customer-token');
    expect(operations.map(({ summary: _, ...rest }: { summary?: string }) => rest)).toEqual([
      { operationId: 'getThing', method: 'GET', path: '/things/{id}', pathParams: ['id'], queryParams: ['expand'], bodyFields: null, customer: false, retry: true },
      { operationId: 'putThing', method: 'PUT', path: '/things/{id}', pathParams: ['id'], queryParams: [], bodyFields: null, customer: false, retry: false },
      // renameThing's body has `uuid` and `name`; `id` is the only path field, so no clash.
      { operationId: 'renameThing', method: 'POST', path: '/things/{id}', pathParams: ['id'], queryParams: [], bodyFields: ['name', 'uuid'], customer: true, retry: false },
      { operationId: 'search', method: 'POST', path: '/search', pathParams: [], queryParams: [], bodyFields: ['q', 'limit'], customer: false, retry: true },
    ]);
  });

  test('emits one `as const` entry per operation', () => {
    const source: string = generateOperations(spec({ '/a': { get: { operationId: 'getA', responses: ok } } }));
    expect(source).toContain("export const customerTokenHeader = 'x-customer-token';");
    expect(source).toContain(
      "  getA: { method: 'GET', path: '/a', pathParams: [], queryParams: [], body: false, customer: false, retry: true },",
    );
    expect(source.trimEnd().endsWith('} as const;')).toBe(true);
  });

  test.each([
    [
      'a path field that is also a body field',
      {
        '/things/{name}': {
          post: { operationId: 'renameThing', parameters: [{ name: 'name', in: 'path', required: true }], requestBody: body({ $ref: '#/components/schemas/Thing' }), responses: ok },
        },
      },
      'renameThing (POST /things/{name}): field "name" is both a path parameter and a body property. The client takes path, query and body fields in one object, so their names must differ: rename one of them in the spec.',
    ],
    [
      'a query field that is also a body field',
      { '/things': { post: { operationId: 'addThing', parameters: [{ name: 'uuid', in: 'query' }], requestBody: body({ $ref: '#/components/schemas/Thing' }), responses: ok } } },
      'addThing (POST /things): field "uuid" is both a query parameter and a body property.',
    ],
    [
      'a path field that is also a query field',
      { '/t/{id}': { get: { operationId: 'getT', parameters: [{ name: 'id', in: 'path', required: true }, { name: 'id', in: 'query' }], responses: ok } } },
      'getT (GET /t/{id}): field "id" is both a path parameter and a query parameter.',
    ],
    ['an operation without operationId', { '/a': { get: { responses: ok } } }, 'GET /a has no operationId; the client names each method after it.'],
    ['an operationId the client uses itself', { '/a': { get: { operationId: 'raw', responses: ok } } }, 'GET /a: operationId "raw" is reserved by the client; rename the operation.'],
    [
      'a duplicate operationId',
      { '/a': { get: { operationId: 'x', responses: ok } }, '/b': { get: { operationId: 'x', responses: ok } } },
      'operationId "x" is used by both GET /a and GET /b.',
    ],
    [
      'a header parameter',
      { '/a': { get: { operationId: 'getA', parameters: [{ name: 'X-Trace', in: 'header' }], responses: ok } } },
      'getA (GET /a): header parameter "X-Trace" is not supported',
    ],
    ['a path placeholder without its parameter', { '/a/{id}': { get: { operationId: 'getA', responses: ok } } }, 'getA (GET /a/{id}): the path has {id} but no path parameter "id" is declared.'],
    [
      'a body that is not an object',
      { '/a': { post: { operationId: 'postA', requestBody: body({ type: 'array', items: {} }), responses: ok } } },
      'postA (POST /a): the JSON request body must be an object schema',
    ],
    [
      'a non-boolean x-idempotent',
      { '/a': { post: { operationId: 'postA', 'x-idempotent': 'yes', responses: ok } } },
      'postA (POST /a): x-idempotent must be true or false.',
    ],
  ])('fails with a clear message on %s', (_, paths, message) => {
    expect(() => generateOperations(spec(paths))).toThrow(message);
  });

  test('the CLI writes a file whose first line says it is generated, and exits 1 with the message on a bad spec', () => {
    const dir = mkdtempSync(join(tmpdir(), 'codegen-client-'));
    const cli = join(import.meta.dirname, '../../../tools/codegen-client/cli.mjs');
    writeFileSync(join(dir, 'good.json'), JSON.stringify(spec({ '/a': { get: { operationId: 'getA', responses: ok } } })));
    execFileSync(process.execPath, [cli, './good.json', 'out/operations.ts'], { cwd: dir, stdio: 'pipe' });
    expect(readFileSync(join(dir, 'out/operations.ts'), 'utf8').split('\n')[0]).toBe(
      '// Generated by tools/codegen-client from ./good.json. Do not edit: change the spec and rebuild.',
    );
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(spec({ '/a': { get: { responses: ok } } })));
    let stderr = '';
    try {
      execFileSync(process.execPath, [cli, './bad.json', 'out/bad.ts'], { cwd: dir, stdio: 'pipe' });
    } catch (error) {
      expect((error as { status: number }).status).toBe(1);
      stderr = String((error as { stderr: Buffer }).stderr);
    }
    expect(stderr).toBe('tools/codegen-client: GET /a has no operationId; the client names each method after it.\n');
  });

  test('fails on a security scheme the client cannot send', () => {
    const document = spec({ '/a': { get: { operationId: 'getA', responses: ok } } });
    (document.components.securitySchemes as Record<string, unknown>).oauth = { type: 'oauth2', flows: {} };
    expect(() => generateOperations(document)).toThrow('Security scheme "oauth" (oauth2) is not supported');
  });
});

describe('tools/codegen-webhook-validator', () => {
  const callbackSpec = (schema: unknown) =>
    spec({
      '/jobs': {
        post: {
          operationId: 'startJob',
          responses: ok,
          callbacks: { metricsReady: { '{$request.body#/url}': { post: { requestBody: body(schema), responses: ok } } } },
        },
      },
    });

  test('compiles the callback body schema to self-contained code', () => {
    const source: string = generateWebhookValidator(callbackSpec({ type: 'object', additionalProperties: { $ref: '#/components/schemas/Thing' } }));
    expect(source.startsWith('// @ts-nocheck\n')).toBe(true);
    expect(source).toContain('export const validateMetricsWebhook');
    expect(source).not.toMatch(/\brequire\(/);
  });

  test('fails when the spec has no metricsReady callback', () => {
    expect(() => generateWebhookValidator(spec({}))).toThrow('No operation has a `metricsReady` callback');
  });

  test('fails when the schema needs Ajv at run time', () => {
    expect(() => generateWebhookValidator(callbackSpec({ type: 'string', minLength: 2 }))).toThrow('needs Ajv runtime helpers');
  });
});
