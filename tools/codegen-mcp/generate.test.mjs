import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, test } from 'vitest';
import { jsonBody, ok, smallSpec } from '@reportei-connect/codegen-core/fixtures';
import { CUSTOMER_FIELD, generateTools, mcpTools } from './generate.mjs';

/**
 * A small spec with a metric request schema and what it refers to.
 * @param {Record<string, unknown>} paths
 */
const spec = (paths) =>
  smallSpec(paths, {
    schemas: {
      Color: { type: 'string', enum: ['red', 'blue'], description: 'A color.', example: 'red' },
      MetricRequest: { type: 'object', required: ['id'], properties: { id: { type: 'string' }, color: { $ref: '#/components/schemas/Color' } } },
      Page: { type: 'object', properties: { data: { type: 'array', items: {} }, meta: { type: 'object', properties: { last_page: { type: 'integer' } } } } },
    },
  });
const customerOnly = [{ bearer: [], customer: [] }];
const things = {
  '/things': {
    get: {
      operationId: 'listThings',
      summary: 'List things',
      parameters: [{ name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 }, description: 'The page.' }],
      responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Page' } } } } },
    },
    post: {
      operationId: 'createThing',
      summary: 'Create a thing',
      description: 'Makes one.\nOn two lines.',
      requestBody: jsonBody({ type: 'object', required: ['name'], properties: { name: { type: 'string', example: 'Acme' }, color: { $ref: '#/components/schemas/Color' } } }),
      responses: ok,
    },
  },
  '/things/{uuid}': {
    delete: { operationId: 'deleteThing', security: customerOnly, parameters: [{ name: 'uuid', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }], responses: ok },
  },
};

describe('mcpTools', () => {
  test('one tool per operation, named by its operationId, described by its summary and description', () => {
    const tools = mcpTools(spec(things));
    expect(tools.map((tool) => [tool.name, tool.title])).toEqual([
      ['listThings', 'List things'],
      ['createThing', 'Create a thing'],
      ['deleteThing', 'DELETE /things/{uuid}'],
    ]);
    expect(tools[1]?.description).toBe('Create a thing\n\nMakes one.\nOn two lines.');
    expect(tools[0]?.description).toMatch(/^List things\n\nAnswers one page \(page, per_page\)/);
  });

  test('an operation added to the spec is a tool, with nothing else to change', () => {
    const added = { ...things, '/colors': { get: { operationId: 'listColors', summary: 'List colors', responses: ok } } };
    expect(mcpTools(spec(added)).map((tool) => tool.name)).toEqual(['listThings', 'createThing', 'deleteThing', 'listColors']);
  });

  test('annotations from the spec: reads, deletes and idempotency', () => {
    const annotations = Object.fromEntries(mcpTools(spec(things)).map((tool) => [tool.name, tool.annotations]));
    expect(annotations.listThings).toMatchObject({ readOnlyHint: true, destructiveHint: false, idempotentHint: true });
    expect(annotations.createThing).toMatchObject({ readOnlyHint: false, destructiveHint: false, idempotentHint: false });
    expect(annotations.deleteThing).toMatchObject({ readOnlyHint: false, destructiveHint: true, idempotentHint: true });
    const read = { '/search': { post: { operationId: 'searchThings', 'x-changes-state': false, 'x-idempotent': true, requestBody: jsonBody({ type: 'object' }), responses: ok } } };
    expect(mcpTools(spec(read))[0]?.annotations).toMatchObject({ readOnlyHint: true, idempotentHint: true });
  });

  test("the input schema flattens path, query and body fields, with the components it uses under $defs and no OpenAPI 'example'", () => {
    const [list, create, remove] = mcpTools(spec(things));
    expect(list?.inputSchema).toEqual({ type: 'object', properties: { page: { type: 'integer', minimum: 1, description: 'The page.' } } });
    expect(create?.inputSchema).toEqual({
      type: 'object',
      properties: { name: { type: 'string' }, color: { $ref: '#/$defs/Color' } },
      required: ['name'],
      $defs: { Color: { type: 'string', enum: ['red', 'blue'], description: 'A color.' } },
    });
    // A customer-scoped tool names its customer by uuid, never by token.
    expect(remove).toMatchObject({ customerScoped: true, inputSchema: { required: [CUSTOMER_FIELD, 'uuid'] } });
    expect(Object.keys(remove?.inputSchema.properties ?? {})).toEqual([CUSTOMER_FIELD, 'uuid']);
    const ajv = new Ajv2020({ strict: true });
    const validate = ajv.compile(create?.inputSchema ?? {});
    expect([validate({ name: 'Acme', color: 'red' }), validate({ name: 'Acme', color: 'green' })]).toEqual([true, false]);
  });

  test('a list of metric requests also takes catalogue reference keys', () => {
    const metrics = { '/metrics': { post: { operationId: 'getMetrics', security: customerOnly, requestBody: jsonBody({ type: 'object', properties: { metrics: { type: 'array', items: { $ref: '#/components/schemas/MetricRequest' } } } }), responses: ok } } };
    const [tool] = mcpTools(spec(metrics));
    expect(tool?.metricsField).toBe('metrics');
    // Formats are checked by the server's tests, with ajv-formats.
    const validate = new Ajv2020({ strict: true, validateFormats: false }).compile(tool?.inputSchema ?? {});
    expect(validate({ customer_uuid: 'c', metrics: ['ig:reach', { id: 'mine', color: 'blue' }] })).toBe(true);
    expect(validate({ customer_uuid: 'c', metrics: [{ color: 'blue' }] })).toBe(false);
    expect(Object.keys(tool?.inputSchema.$defs ?? {}).sort()).toEqual(['Color', 'MetricRequest']);
  });

  test.each([
    ['a field named like the customer field', { '/a/{customer_uuid}': { get: { operationId: 'getA', security: customerOnly, parameters: [{ name: CUSTOMER_FIELD, in: 'path', required: true, schema: {} }], responses: ok } } }, 'parameter "customer_uuid" is the field a customer-scoped tool names its customer with'],
    ['a name MCP does not allow', { '/a': { get: { operationId: 'get$A', responses: ok } } }, 'an MCP tool name is 1 to 64 letters'],
  ])('refuses %s, saying what to change', (_, paths, message) => {
    expect(() => mcpTools(spec(paths))).toThrow(message);
  });
});

describe('connect-codegen-mcp', () => {
  test('writes the table from a file, its first line saying it is generated', () => {
    const dir = mkdtempSync(join(tmpdir(), 'codegen-mcp-'));
    try {
      writeFileSync(join(dir, 'openapi.json'), JSON.stringify(spec(things)));
      execFileSync(process.execPath, [fileURLToPath(new URL('cli.mjs', import.meta.url)), './openapi.json', 'generated'], { cwd: dir });
      const tools = readFileSync(join(dir, 'generated/tools.ts'), 'utf8');
      expect(tools.split('\n')[0]).toBe('// Generated by @reportei-connect/codegen-mcp from ./openapi.json. Do not edit: change the spec and rebuild.');
      expect(tools).toContain("import type { OperationTool } from '../tool-table.js';");
      expect(tools).toContain("export const customerField = 'customer_uuid';");
      expect(tools).toContain("name: 'deleteThing'");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the table is TypeScript', () => {
    expect(generateTools(mcpTools(spec(things)))).toMatch(/^import type \{ OperationTool \} from '\.\.\/tool-table\.js';/);
  });
});
