import { describe, expect, it } from 'vitest';
import { changesStateByDefault, credentialsFor, HTTP_METHODS, listOperations, operationEntries, responseFor, retryableByDefault, securitySchemes, SpecModelError, type OpenApiDocument } from '../src/index.js';
import { fixture } from './fixture.js';

const operations = listOperations(fixture());
const byId = (id: string) => operations.find((operation) => operation.id === id)!;

/** The fixture changed by `edit`. */
function edited(edit: (document: OpenApiDocument & { paths: Record<string, any>; components: Record<string, any> }) => void): OpenApiDocument {
  const document = fixture() as OpenApiDocument & { paths: Record<string, any>; components: Record<string, any> };
  edit(document);
  return document;
}

describe('HTTP_METHODS', () => {
  it('lists the eight methods of a path item', () => {
    expect(HTTP_METHODS).toEqual(['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']);
  });

  it('says which methods are retryable and which change state when an operation does not say', () => {
    const upper = HTTP_METHODS.map((method) => method.toUpperCase() as Uppercase<typeof method>);
    expect(upper.filter(retryableByDefault)).toEqual(['GET', 'PUT', 'DELETE']);
    expect(upper.filter(changesStateByDefault)).toEqual(['PUT', 'POST', 'DELETE', 'PATCH']);
  });
});

describe('listOperations', () => {
  it('lists every operation in document order, following path item $refs, with its pointer', () => {
    expect(operations.map((operation) => `${operation.method} ${operation.path} ${operation.id} ${operation.pointer}`)).toEqual([
      'GET /things listThings /paths/~1things/get',
      'POST /things createThing /paths/~1things/post',
      'POST /things/search searchThings /paths/~1things~1search/post',
      'GET /things/{id} getThing /components/pathItems/Thing/get',
      'PUT /things/{id} replaceThing /components/pathItems/Thing/put',
      'DELETE /things/{id} deleteThing /components/pathItems/Thing/delete',
      'POST /things/{id}/refresh refreshThing /paths/~1things~1{id}~1refresh/post',
    ]);
    expect(byId('listThings')).toMatchObject({ tags: ['Things'], summary: 'List things', deprecated: false });
    expect(byId('searchThings').extensions).toEqual({ 'x-idempotent': true, 'x-changes-state': false, 'x-note': 'kept' });
  });

  it('merges path-level and operation-level parameters, the operation winning in place, $refs followed', () => {
    expect(byId('getThing').parameters.map(({ name, in: location, required, description, schemaPointer, pointer }) => ({ name, location, required, description, schemaPointer, pointer }))).toEqual([
      { name: 'id', location: 'path', required: true, description: 'overridden', schemaPointer: '/components/pathItems/Thing/get/parameters/0/schema', pointer: '/components/pathItems/Thing/get/parameters/0' },
      { name: 'verbose', location: 'query', required: false, description: undefined, schemaPointer: '/components/pathItems/Thing/parameters/1/schema', pointer: '/components/pathItems/Thing/parameters/1' },
    ]);
    const [id] = byId('replaceThing').parameters;
    expect(id).toMatchObject({ pointer: '/components/parameters/RealId', schema: { type: 'string', format: 'uuid' }, example: '0b6f1f57-3ac1-4b8a-9d2b-6fd2d64c4b1a', examples: {} });
    expect(byId('listThings').parameters.map((parameter) => [parameter.in, parameter.name, parameter.examples])).toEqual([
      ['query', 'page', { First: 1 }],
      ['header', 'X-Trace', {}],
    ]);
  });

  it('lets an operation header parameter replace a path-level one whatever its case', () => {
    const document = edited((d) => {
      d.paths['/things/{id}/refresh'].parameters.push({ name: 'x-mode', in: 'header', schema: { type: 'string' } });
      d.paths['/things/{id}/refresh'].post.parameters = [{ name: 'X-Mode', in: 'header', required: true, schema: { enum: ['a'] } }];
    });
    const refresh = listOperations(document).find((operation) => operation.id === 'refreshThing')!;
    expect(refresh.parameters.map((parameter) => `${parameter.in} ${parameter.name} ${parameter.required}`)).toEqual(['path id true', 'header X-Mode true']);
  });

  it('reads who must authenticate from the operation security, else the document security', () => {
    expect(operations.map((operation) => `${operation.id} ${operation.auth}`)).toContain('listThings merchant');
    expect(byId('refreshThing').auth).toBe('merchant+customer');
    expect(byId('refreshThing').security).toEqual([['bearer', 'key']]);
    expect(securitySchemes(fixture())).toEqual({ merchant: { name: 'bearer', scheme: 'bearer', header: 'authorization' }, customer: { name: 'key', header: 'x-customer-token' } });
    const credentials = credentialsFor(securitySchemes(fixture()), 'merchant+customer');
    expect(credentials.map((credential) => [credential.role, credential.header, credential.format('t')])).toEqual([
      ['merchant', 'authorization', 'Bearer t'],
      ['customer', 'x-customer-token', 't'],
    ]);
  });

  it('refuses security requirements outside the two it knows, naming the operation', () => {
    expect(() => listOperations(edited((d) => void (d.paths['/things'].get.security = [])))).toThrow('listThings (GET /things): has no security requirement');
    expect(() => listOperations(edited((d) => void (d.paths['/things'].get.security = [{ bearer: [] }, { key: [] }])))).toThrow('has 2 alternative security requirements');
    expect(() => listOperations(edited((d) => void (d.paths['/things'].get.security = [{ key: [] }])))).toThrow('listThings (GET /things): requires key; the model knows two: bearer alone, or bearer and key together.');
    expect(() => listOperations(edited((d) => delete d.components.securitySchemes))).toThrow('exactly one HTTP bearer scheme');
  });

  it('flags what may be retried and what changes state, each from its own rule', () => {
    expect(operations.map((operation) => `${operation.id} retryable=${operation.retryable} changesState=${operation.changesState}`)).toEqual([
      'listThings retryable=true changesState=false',
      'createThing retryable=false changesState=true',
      'searchThings retryable=true changesState=false',
      'getThing retryable=true changesState=false',
      'replaceThing retryable=false changesState=true',
      'deleteThing retryable=true changesState=true',
      'refreshThing retryable=false changesState=true',
    ]);
    const marked = listOperations(edited((d) => void (d.paths['/things'].get['x-changes-state'] = true))).find((operation) => operation.id === 'listThings')!;
    expect(marked.changesState).toBe(true);
  });

  it('reads x-trial-gated: false unless the operation says true', () => {
    expect(operations.map((operation) => operation.trialGated)).toEqual(operations.map(() => false));
    const gated = listOperations(edited((d) => void (d.paths['/things/{id}/refresh'].post['x-trial-gated'] = true)));
    expect(gated.filter((operation) => operation.trialGated).map((operation) => operation.id)).toEqual(['refreshThing']);
    expect(() => listOperations(edited((d) => void (d.paths['/things'].post['x-trial-gated'] = 'yes')))).toThrow('createThing (POST /things): x-trial-gated must be true or false, found "yes".');
  });

  it('refuses a flag that is not a boolean, a missing or repeated operationId and a body without JSON', () => {
    expect(() => listOperations(edited((d) => void (d.paths['/things'].post['x-changes-state'] = 'no')))).toThrow('createThing (POST /things): x-changes-state must be true or false, found "no".');
    expect(() => listOperations(edited((d) => void (d.paths['/things'].post['x-idempotent'] = 1)))).toThrow('x-idempotent must be true or false');
    expect(() => listOperations(edited((d) => delete d.paths['/things'].get.operationId))).toThrow(new SpecModelError('An operation (GET /things) has no operationId.'));
    expect(() => listOperations(edited((d) => void (d.paths['/things/search'].post.operationId = 'listThings')))).toThrow('listThings (POST /things/search): the operationId is also that of GET /things.');
    expect(() => listOperations(edited((d) => void (d.paths['/things'].post.requestBody.content = { 'text/plain': { schema: { type: 'string' } } })))).toThrow(
      'createThing (POST /things): the request body has no JSON content (found text/plain); the model knows JSON request bodies only.',
    );
  });

  it('reads request bodies: schema, pointer, examples by name', () => {
    expect(byId('createThing').requestBody).toEqual({
      required: true,
      pointer: '/paths/~1things/post/requestBody',
      mediaTypes: ['application/json'],
      schema: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1 } } },
      schemaPointer: '/components/schemas/Named',
      examples: { Named: { name: 'new' } },
    });
    expect(byId('searchThings').requestBody).toMatchObject({ required: false, schemaPointer: '/paths/~1things~1search/post/requestBody/content/application~1json/schema' });
    expect(byId('getThing').requestBody).toBeUndefined();
  });

  it('reads responses: status, schema, headers, examples and links through shared components', () => {
    const [ok] = byId('listThings').responses;
    expect(ok).toMatchObject({ status: '200', description: 'some things', pointer: '/components/responses/Things', schemaPointer: '/components/responses/Things/content/application~1json/schema', examples: {} });
    expect(ok!.headers).toEqual({
      'X-Remaining': { required: true, schema: { type: 'integer', minimum: 0 }, schemaPointer: '/components/headers/Remaining/schema', pointer: '/components/headers/Remaining', example: 9, examples: {} },
    });
    const [created] = byId('createThing').responses;
    expect(created).toMatchObject({ status: '201', schemaPointer: '/components/schemas/Thing', example: { id: 't1', name: 'one' }, links: { GetThing: { operationId: 'getThing', parameters: { id: '$response.body#/id' } } } });
    const [deleted] = byId('deleteThing').responses;
    expect(deleted).toEqual({ status: '204', description: 'deleted', pointer: '/components/pathItems/Thing/delete/responses/204', mediaTypes: [], headers: {}, examples: {}, links: {} });
  });

  it('finds the response for a status: exact, then its range, then default', () => {
    const list = byId('listThings');
    expect([200, 404, 503].map((status) => responseFor(list, status)?.status)).toEqual(['200', '4XX', 'default']);
    expect(responseFor(byId('deleteThing'), 200)).toBeUndefined();
  });

  it('reads callbacks as written and their operations like the others', () => {
    const create = byId('createThing');
    expect(Object.keys(create.callbacks)).toEqual(['ready']);
    expect(create.callbackOperations).toEqual([
      {
        callback: 'ready',
        expression: '{$request.body#/callback_url}',
        id: 'thingReady',
        method: 'POST',
        pointer: '/paths/~1things/post/callbacks/ready/{$request.body#~1callback_url}/post',
        parameters: [],
        requestBody: expect.objectContaining({ schemaPointer: '/components/schemas/Thing' }),
        responses: [expect.objectContaining({ status: '200' })],
      },
    ]);
  });

  it('answers no operations for a document without paths', () => {
    expect(listOperations({ openapi: '3.1.0' })).toEqual([]);
  });
});

describe('operationEntries', () => {
  it('lists operations as written, even those the model would refuse', () => {
    const document = edited((d) => {
      delete d.paths['/things'].get.operationId;
      d.paths['/things'].get.security = [];
    });
    expect(() => listOperations(document)).toThrow();
    const [first] = operationEntries(document);
    expect(first).toMatchObject({ method: 'GET', path: '/things', operationId: undefined, security: [], pointer: '/paths/~1things/get', pathItemPointer: '/paths/~1things' });
    expect(operationEntries(document)).toHaveLength(7);
  });
});
