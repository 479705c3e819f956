import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { jsonBody, ok, smallSpec } from '@reportei-connect/codegen-core/fixtures';
import { clientOperations, generateOperations } from './generate.mjs';

// By require: imported as ESM, TypeScript's 9 MB of CommonJS is first scanned for exports (0.5 CPU-s).
/** @type {typeof import('typescript')} */
const ts = createRequire(import.meta.url)('typescript');

/** @param {Record<string, unknown>} paths */
const spec = (paths) => smallSpec(paths, { schemas: { Thing: { type: 'object', properties: { name: { type: 'string' }, uuid: { type: 'string' } } } } });

/** The generated module, compiled by TypeScript and run: its exports. @param {string} source */
function load(source) {
  const { outputText, diagnostics } = ts.transpileModule(source, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.CommonJS } });
  expect(diagnostics ?? []).toEqual([]);
  const module = { exports: /** @type {Record<string, any>} */ ({}) };
  new Function('module', 'exports', outputText)(module, module.exports);
  return module.exports;
}

describe('clientOperations', () => {
  test('reads where each field goes, who may call and what may be retried', () => {
    const { operations, customerTokenHeader } = clientOperations(
      spec({
        '/things/{id}': {
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          get: { operationId: 'getThing', parameters: [{ name: 'expand', in: 'query', schema: { type: 'array', items: { type: 'string' } } }], responses: ok },
          post: { operationId: 'renameThing', requestBody: jsonBody({ $ref: '#/components/schemas/Thing' }), responses: ok, security: [{ bearer: [], customer: [] }] },
          put: { operationId: 'putThing', 'x-idempotent': false, responses: ok },
        },
        '/search': { post: { operationId: 'search', 'x-idempotent': true, requestBody: jsonBody({ allOf: [{ type: 'object', properties: { q: {} } }, { properties: { limit: {} } }] }), responses: ok } },
      }),
    );
    expect(customerTokenHeader).toBe('x-customer-token');
    // In document order: path by path, then as each path item lists its methods.
    expect(operations.map(({ model: _, ...rest }) => rest)).toEqual([
      { id: 'getThing', method: 'GET', path: '/things/{id}', pathFields: ['id'], queryFields: ['expand'], bodyFields: undefined, requiresCustomerToken: false, retryable: true },
      // renameThing's body has `uuid` and `name`; `id` is the only path field, so no clash.
      { id: 'renameThing', method: 'POST', path: '/things/{id}', pathFields: ['id'], queryFields: [], bodyFields: ['name', 'uuid'], requiresCustomerToken: true, retryable: false },
      { id: 'putThing', method: 'PUT', path: '/things/{id}', pathFields: ['id'], queryFields: [], bodyFields: undefined, requiresCustomerToken: false, retryable: false },
      { id: 'search', method: 'POST', path: '/search', pathFields: [], queryFields: [], bodyFields: ['q', 'limit'], requiresCustomerToken: false, retryable: true },
    ]);
  });
});

describe('generateOperations', () => {
  test('emits one `as const` entry per operation, with flags named for what they mean', () => {
    const source = generateOperations(spec({ '/a': { get: { operationId: 'getA', responses: ok } } }));
    expect(source).toContain("export const customerTokenHeader = 'x-customer-token';");
    expect(source).toContain(
      "  getA: { method: 'GET', path: '/a', pathFields: [], queryFields: [], hasJsonBody: false, requiresCustomerToken: false, retryable: true },",
    );
    expect(source.trimEnd().endsWith('} as const;')).toBe(true);
  });

  test('writes the methods retried by default, from @reportei-connect/spec-model', () => {
    const { retryableMethods } = load(generateOperations(spec({ '/a': { get: { operationId: 'getA', responses: ok } } })));
    expect(retryableMethods).toEqual(['GET', 'PUT', 'DELETE']);
  });

  test('writes paths and summaries holding quotes as valid TypeScript that reads back as written', () => {
    const path = `/it's/"quoted"/{id}`;
    const source = generateOperations(
      spec({ [path]: { get: { operationId: 'getQuoted', summary: 'A */ "tricky" one', parameters: [{ name: 'id', in: 'path', required: true }], responses: ok } } }),
    );
    expect(load(source).operationTable.getQuoted).toMatchObject({ path, pathFields: ['id'] });
  });

  test.each([
    [
      'a path field that is also a body field',
      {
        '/things/{name}': {
          post: { operationId: 'renameThing', parameters: [{ name: 'name', in: 'path', required: true }], requestBody: jsonBody({ $ref: '#/components/schemas/Thing' }), responses: ok },
        },
      },
      'renameThing (POST /things/{name}): field "name" is both a path parameter and a body property. The client takes path, query and body fields in one object, so their names must differ: rename one of them in the spec.',
    ],
    [
      'a query field that is also a body field',
      { '/things': { post: { operationId: 'addThing', parameters: [{ name: 'uuid', in: 'query' }], requestBody: jsonBody({ $ref: '#/components/schemas/Thing' }), responses: ok } } },
      'addThing (POST /things): field "uuid" is both a query parameter and a body property.',
    ],
    [
      'a path field that is also a query field',
      { '/t/{id}': { get: { operationId: 'getT', parameters: [{ name: 'id', in: 'path', required: true }, { name: 'id', in: 'query' }], responses: ok } } },
      'getT (GET /t/{id}): field "id" is both a path parameter and a query parameter.',
    ],
    ['an operation without operationId', { '/a': { get: { responses: ok } } }, 'An operation (GET /a) has no operationId.'],
    ['an operationId that is not an identifier', { '/a': { get: { operationId: 'get-a', responses: ok } } }, 'get-a (GET /a): the operationId is not a JavaScript identifier.'],
    ['an operationId the client uses itself', { '/a': { get: { operationId: 'raw', responses: ok } } }, 'raw (GET /a): the operationId is reserved by the client; rename the operation.'],
    [
      'a duplicate operationId',
      { '/a': { get: { operationId: 'x', responses: ok } }, '/b': { get: { operationId: 'x', responses: ok } } },
      'x (GET /b): the operationId is also that of GET /a.',
    ],
    [
      'a header parameter',
      { '/a': { get: { operationId: 'getA', parameters: [{ name: 'X-Trace', in: 'header' }], responses: ok } } },
      'getA (GET /a): header parameter "X-Trace" is not supported',
    ],
    [
      'an object query parameter',
      { '/a': { get: { operationId: 'getA', parameters: [{ name: 'filter', in: 'query', schema: { type: 'object' } }], responses: ok } } },
      'getA (GET /a): query parameter "filter" is an object',
    ],
    ['a path placeholder without its parameter', { '/a/{id}': { get: { operationId: 'getA', responses: ok } } }, 'getA (GET /a/{id}): the path has {id} but no path parameter "id" is declared.'],
    [
      'a body that is not an object',
      { '/a': { post: { operationId: 'postA', requestBody: jsonBody({ type: 'array', items: {} }), responses: ok } } },
      'postA (POST /a): the JSON request body must be an object schema',
    ],
    [
      'a non-boolean x-idempotent',
      { '/a': { post: { operationId: 'postA', 'x-idempotent': 'yes', responses: ok } } },
      'postA (POST /a): x-idempotent must be true or false',
    ],
    [
      'a security requirement the client cannot send',
      { '/a': { get: { operationId: 'getA', security: [{ oauth: [] }], responses: ok } } },
      'getA (GET /a): requires oauth',
    ],
    ['no operations at all', {}, 'The spec has no operations under `paths`.'],
  ])('fails with a clear message on %s', (_, paths, message) => {
    expect(() => generateOperations(spec(paths))).toThrow(message);
  });
});

describe('connect-codegen-client', () => {
  test('writes a file whose first line says it is generated, and exits 1 with the message on a bad spec', () => {
    const dir = mkdtempSync(join(tmpdir(), 'codegen-client-'));
    try {
      const cli = join(import.meta.dirname, 'cli.mjs');
      writeFileSync(join(dir, 'good.json'), JSON.stringify(spec({ '/a': { get: { operationId: 'getA', responses: ok } } })));
      execFileSync(process.execPath, [cli, './good.json', 'out/operations.ts'], { cwd: dir, stdio: 'pipe' });
      expect(readFileSync(join(dir, 'out/operations.ts'), 'utf8').split('\n')[0]).toBe(
        '// Generated by @reportei-connect/codegen-client from ./good.json. Do not edit: change the spec and rebuild.',
      );
      writeFileSync(join(dir, 'bad.json'), JSON.stringify(spec({ '/a': { get: { responses: ok } } })));
      let stderr = '';
      try {
        execFileSync(process.execPath, [cli, './bad.json', 'out/bad.ts'], { cwd: dir, stdio: 'pipe' });
      } catch (error) {
        expect(/** @type {{ status: number }} */ (error).status).toBe(1);
        stderr = String(/** @type {{ stderr: Buffer }} */ (error).stderr);
      }
      expect(stderr).toBe('connect-codegen-client: An operation (GET /a) has no operationId.\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
