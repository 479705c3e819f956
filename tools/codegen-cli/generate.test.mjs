import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { jsonBody, ok, smallSpec } from '@reportei-connect/codegen-core/fixtures';
import { cliGroups, commandName, generateCommands, generateValidators, RESERVED_FLAGS } from './generate.mjs';

/**
 * A small spec with two tags and the schemas the tests refer to.
 * @param {Record<string, unknown>} paths
 */
const spec = (paths) =>
  smallSpec(paths, {
    tags: [{ name: 'Things', description: 'What there is.\nOn two lines.' }, { name: 'Metrics' }],
    schemas: {
      Color: { type: 'string', enum: ['red', 'blue'], description: 'A color.' },
      MetricRequest: { type: 'object', properties: { id: { type: 'string' } } },
      Page: {
        type: 'object',
        properties: { data: { type: 'array', items: {} }, meta: { type: 'object', properties: { current_page: { type: 'integer' }, last_page: { type: 'integer' } } } },
      },
    },
  });
const pageParameter = { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1, default: 1 }, description: 'The page.' };

describe('commandName', () => {
  test('is the operationId in kebab case without the words of its group, singular or plural', () => {
    expect(commandName('listCustomers', 'customers')).toBe('list');
    expect(commandName('getCustomer', 'customers')).toBe('get');
    expect(commandName('updateCustomerPaymentStatus', 'customers')).toBe('update-payment-status');
    expect(commandName('createIntegrationSession', 'customer-integrations')).toBe('create-session');
    expect(commandName('getMetricsDataAsync', 'metrics')).toBe('get-data-async');
  });
});

describe('cliGroups', () => {
  test('groups operations by tag, with a flag per path, query and body field', () => {
    const groups = cliGroups(
      spec({
        '/things': {
          get: { operationId: 'listThings', tags: ['Things'], summary: 'List things', parameters: [pageParameter], responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Page' } } } } } },
          post: {
            operationId: 'createThing',
            tags: ['Things'],
            summary: 'Create a thing',
            description: 'Makes one.',
            requestBody: jsonBody({
              type: 'object',
              required: ['display_name'],
              properties: {
                display_name: { type: 'string', minLength: 1, description: 'Its name.' },
                color: { $ref: '#/components/schemas/Color' },
                tags: { type: 'array', items: { type: 'string' } },
                is_big: { type: 'boolean' },
                size: { type: 'number' },
                shape: { type: 'object' },
              },
            }),
            responses: ok,
          },
        },
        '/things/{uuid}': {
          get: {
            operationId: 'getThing',
            tags: ['Things'],
            parameters: [{ name: 'uuid', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
            security: [{ bearer: [], customer: [] }],
            responses: ok,
          },
        },
      }),
    );
    expect(groups.map((group) => [group.name, group.tag, group.description])).toEqual([['things', 'Things', 'What there is. On two lines.']]);
    const [list, create, get] = groups[0]?.commands ?? [];
    expect(list).toMatchObject({ name: 'list', operationId: 'listThings', summary: 'List things', paginated: true, customerToken: false });
    expect(list?.flags).toEqual([
      { flag: 'page', field: 'page', in: 'query', kind: 'integer', multiple: false, required: false, description: 'The page. (default: 1)', schemaPointer: '/paths/~1things/get/parameters/0/schema' },
    ]);
    expect(create).toMatchObject({ name: 'create', description: 'Makes one.', paginated: false, body: { schemaPointer: '/paths/~1things/post/requestBody/content/application~1json/schema', required: true } });
    expect(create?.flags.map(({ flag, kind, multiple, required, choices, description }) => ({ flag, kind, multiple, required, choices, description }))).toEqual([
      { flag: 'display-name', kind: 'string', multiple: false, required: true, choices: undefined, description: 'Its name.' },
      { flag: 'color', kind: 'string', multiple: false, required: false, choices: ['red', 'blue'], description: 'A color.' },
      { flag: 'tags', kind: 'string', multiple: true, required: false, choices: undefined, description: '' },
      { flag: 'is-big', kind: 'boolean', multiple: false, required: false, choices: undefined, description: '' },
      { flag: 'size', kind: 'number', multiple: false, required: false, choices: undefined, description: '' },
      { flag: 'shape', kind: 'json', multiple: false, required: false, choices: undefined, description: '' },
    ]);
    expect(get).toMatchObject({ name: 'get', customerToken: true, flags: [{ flag: 'uuid', in: 'path', required: true, description: '(format: uuid)' }] });
  });

  test('marks a body list of MetricRequest as the field --metric fills', () => {
    const [group] = cliGroups(
      spec({ '/metrics/get-data': { post: { operationId: 'getMetricsData', tags: ['Metrics'], requestBody: jsonBody({ type: 'object', properties: { metrics: { type: 'array', items: { $ref: '#/components/schemas/MetricRequest' } } } }), responses: ok } } }),
    );
    expect(group?.commands[0]).toMatchObject({ name: 'get-data', metricsField: 'metrics', flags: [{ flag: 'metrics', kind: 'json', multiple: false }] });
  });

  test.each([
    ['an operation without a tag', { '/a': { get: { operationId: 'getA', responses: ok } } }, 'getA (GET /a): the operation has no tag'],
    ['a name made only of the tag', { '/a': { get: { operationId: 'things', tags: ['Things'], responses: ok } } }, 'no command name is left'],
    [
      'two operations with one command',
      { '/a': { get: { operationId: 'getThing', tags: ['Things'], responses: ok } }, '/b': { get: { operationId: 'getThings', tags: ['Things'], responses: ok } } },
      `its command would be "things get", as getThing's is`,
    ],
    ['a field named like a flag of the CLI', { '/a': { post: { operationId: 'sendThing', tags: ['Things'], requestBody: jsonBody({ type: 'object', properties: { data: {} } }), responses: ok } } }, 'would be the flag --data, which the CLI uses itself'],
    [
      'two fields with one flag',
      { '/a': { post: { operationId: 'sendThing', tags: ['Things'], parameters: [{ name: 'per-page', in: 'query', schema: {} }], requestBody: jsonBody({ type: 'object', properties: { per_page: {} } }), responses: ok } } },
      'fields "per-page" and "per_page" would both be the flag --per-page',
    ],
  ])('refuses %s, saying what to change', (_, paths, message) => {
    expect(() => cliGroups(spec(paths))).toThrow(message);
  });

  test('reserves every flag the CLI defines itself', () => {
    expect(RESERVED_FLAGS).toEqual(expect.arrayContaining(['token', 'customer-token', 'base-url', 'sandbox', 'json', 'data', 'all', 'metric', 'help']));
  });
});

describe('generateValidators', () => {
  test("compiles each parameter's and body's schema, formats included, to an ES module that needs only Ajv's run-time helpers", async () => {
    const document = spec({
      '/things/{uuid}': {
        put: {
          operationId: 'updateThing',
          tags: ['Things'],
          parameters: [{ name: 'uuid', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
          requestBody: jsonBody({ type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 2 } } }),
          responses: ok,
        },
      },
    });
    const source = generateValidators(document, cliGroups(document));
    expect(source).not.toMatch(/from 'ajv|require\('ajv'\)|require\("ajv"\)/);
    // Next to this package's node_modules, so that the module finds Ajv's run-time helpers as the CLI does.
    const dir = mkdtempSync(join(fileURLToPath(new URL('.', import.meta.url)), '.test-validators-'));
    try {
      writeFileSync(join(dir, 'validators.mjs'), source);
      const { validators } = await import(join(dir, 'validators.mjs'));
      const uuid = validators['/paths/~1things~1{uuid}/put/parameters/0/schema'];
      const thing = validators['/paths/~1things~1{uuid}/put/requestBody/content/application~1json/schema'];
      expect([uuid('1b4e28ba-2fa1-4d2e-8d7a-5f6c7d8e9f00'), uuid('nope')]).toEqual([true, false]);
      expect(uuid.errors[0]).toMatchObject({ keyword: 'format', message: 'must match format "uuid"' });
      expect(thing({ name: 'x' })).toBe(false);
      expect(thing.errors[0]).toMatchObject({ instancePath: '/name', keyword: 'minLength' });
      expect(thing({})).toBe(false);
      expect(thing.errors[0]).toMatchObject({ keyword: 'required', params: { missingProperty: 'name' } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('connect-codegen-cli', () => {
  test('writes the table and the validators from a file, their first line saying they are generated', () => {
    const dir = mkdtempSync(join(tmpdir(), 'codegen-cli-'));
    try {
      writeFileSync(join(dir, 'openapi.json'), JSON.stringify(spec({ '/a': { get: { operationId: 'listThings', tags: ['Things'], parameters: [pageParameter], responses: ok } } })));
      execFileSync(process.execPath, [fileURLToPath(new URL('cli.mjs', import.meta.url)), './openapi.json', 'generated'], { cwd: dir });
      const banner = '// Generated by @reportei-connect/codegen-cli from ./openapi.json. Do not edit: change the spec and rebuild.';
      const commands = readFileSync(join(dir, 'generated/commands.ts'), 'utf8');
      expect(commands.split('\n')[0]).toBe(banner);
      expect(commands).toContain("import type { CommandGroup } from '../command-table.js';");
      expect(commands).toContain("operationId: 'listThings'");
      const validators = readFileSync(join(dir, 'generated/validators.ts'), 'utf8');
      expect(validators.split('\n').slice(0, 2)).toEqual([banner, "// @ts-nocheck: Ajv's generated code."]);
      expect(validators).toContain("'/paths/~1a/get/parameters/0/schema': v0,");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the table is TypeScript', () => {
    expect(generateCommands(cliGroups(spec({ '/a': { get: { operationId: 'listThings', tags: ['Things'], responses: ok } } })))).toMatch(/^import type \{ CommandGroup \} from '\.\.\/command-table\.js';/);
  });
});
