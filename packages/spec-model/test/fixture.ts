import type { OpenApiDocument } from '../src/index.js';

/**
 * A small API with one of everything the model reads: path-level and operation-level parameters
 * behind `$ref` chains, both credentials, the retry and state flags, shared responses and headers,
 * named and inline examples, links, a path item `$ref` and a callback.
 */
export function fixture(): OpenApiDocument {
  return {
    openapi: '3.1.0',
    security: [{ bearer: [] }],
    paths: {
      '/things': {
        get: {
          operationId: 'listThings',
          tags: ['Things'],
          summary: 'List things',
          parameters: [{ $ref: '#/components/parameters/Page' }, { name: 'X-Trace', in: 'header', schema: { type: 'string' } }],
          responses: { '200': { $ref: '#/components/responses/Things' }, '4XX': { description: 'client error' }, default: { description: 'anything else' } },
        },
        post: {
          operationId: 'createThing',
          tags: ['Things'],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/ThingInput' },
                examples: { Named: { $ref: '#/components/examples/NewThing' }, External: { externalValue: 'https://example.com/thing.json' } },
              },
            },
          },
          responses: {
            '201': {
              description: 'created',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' }, example: { id: 't1', name: 'one' } } },
              links: { GetThing: { $ref: '#/components/links/GetThing' } },
            },
          },
          callbacks: {
            ready: {
              '{$request.body#/callback_url}': {
                post: {
                  operationId: 'thingReady',
                  security: [],
                  requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
                  responses: { '200': { description: 'received' } },
                },
              },
            },
          },
        },
      },
      '/things/search': {
        post: {
          operationId: 'searchThings',
          'x-idempotent': true,
          'x-changes-state': false,
          'x-note': 'kept',
          requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { q: { type: 'string' } } } } } },
          responses: { '200': { $ref: '#/components/responses/Things' } },
        },
      },
      '/things/{id}': { $ref: '#/components/pathItems/Thing' },
      '/things/{id}/refresh': {
        parameters: [{ $ref: '#/components/parameters/Id' }],
        post: {
          operationId: 'refreshThing',
          security: [{ bearer: [], key: [] }],
          responses: { '202': { description: 'accepted' } },
        },
      },
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        key: { type: 'apiKey', in: 'header', name: 'X-Customer-Token' },
      },
      pathItems: {
        Thing: {
          parameters: [{ $ref: '#/components/parameters/Id' }, { name: 'verbose', in: 'query', schema: { type: 'boolean' } }],
          get: {
            operationId: 'getThing',
            parameters: [{ name: 'id', in: 'path', required: true, description: 'overridden', schema: { type: 'string', minLength: 2 } }],
            responses: { '200': { description: 'the thing', content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } } },
          },
          put: { operationId: 'replaceThing', 'x-idempotent': false, responses: { '204': { description: 'replaced' } } },
          delete: { operationId: 'deleteThing', responses: { '204': { description: 'deleted' } } },
        },
      },
      parameters: {
        Id: { $ref: '#/components/parameters/RealId' },
        RealId: { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' }, example: '0b6f1f57-3ac1-4b8a-9d2b-6fd2d64c4b1a' },
        Page: { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 }, examples: { First: { value: 1 } } },
      },
      headers: {
        Remaining: { required: true, schema: { type: 'integer', minimum: 0 }, example: 9 },
      },
      responses: {
        Things: {
          description: 'some things',
          headers: { 'X-Remaining': { $ref: '#/components/headers/Remaining' } },
          content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Thing' } } } },
        },
      },
      links: {
        GetThing: { operationId: 'getThing', parameters: { id: '$response.body#/id' } },
      },
      examples: {
        NewThing: { value: { name: 'new' } },
      },
      schemas: {
        Named: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1 } } },
        Thing: {
          allOf: [{ $ref: '#/components/schemas/Named' }, { type: 'object', required: ['id'], properties: { id: { type: 'string' }, parent: { $ref: '#/components/schemas/Thing' } } }],
          description: 'A thing',
        },
        ThingInput: { $ref: '#/components/schemas/Named' },
      },
    },
  };
}
