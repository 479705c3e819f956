import { describe, expect, it } from 'vitest';
import { diffSpecs, formatReport } from './diff.mjs';

/**
 * A small API with one of everything the rules look at: shared parameters, responses and schemas
 * behind $refs, a recursive schema, an enum, constraints, headers and two security schemes.
 * @returns {any} a fresh copy, which the tests edit freely
 */
function base() {
  return {
    openapi: '3.1.0',
    security: [{ bearer: [] }],
    paths: {
      '/things': {
        post: {
          operationId: 'createThing',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/ThingInput' } } } },
          responses: { '201': { $ref: '#/components/responses/ThingFound' }, '422': { description: 'invalid' } },
        },
      },
      '/things/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        get: {
          operationId: 'getThing',
          parameters: [{ $ref: '#/components/parameters/Limit' }],
          responses: { '200': { $ref: '#/components/responses/ThingFound' }, '404': { $ref: '#/components/responses/NotFound' } },
        },
      },
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        key: { type: 'apiKey', in: 'header', name: 'x-key' },
      },
      parameters: {
        Limit: { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100 } },
      },
      responses: {
        ThingFound: {
          description: 'the thing',
          headers: { 'X-Rate': { required: true, schema: { type: 'integer' } } },
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
        },
        NotFound: { description: 'no such thing', content: { 'application/json': { schema: { type: 'object', properties: { message: { type: 'string' } } } } } },
      },
      schemas: {
        Thing: {
          type: 'object',
          required: ['id', 'name'],
          properties: {
            id: { type: 'string' },
            name: { type: 'string' },
            status: { type: 'string', enum: ['on', 'off'] },
            size: { type: 'integer' },
            parent: { $ref: '#/components/schemas/Thing' },
          },
        },
        ThingInput: {
          type: 'object',
          required: ['name'],
          properties: {
            name: { type: 'string', maxLength: 50 },
            kind: { type: 'string', enum: ['a', 'b'] },
            tags: { type: 'array', items: { type: 'string' } },
          },
        },
      },
    },
  };
}

/** The changes between `base()` and a copy changed by `edit`, as `rule breaking? operation: where`. */
function changesAfter(/** @type {(spec: ReturnType<typeof base>) => void} */ edit) {
  const after = base();
  edit(after);
  return diffSpecs(base(), after).map((change) => `${change.rule} ${change.breaking ? 'breaking' : 'non-breaking'} ${change.operation.split(' (')[1]?.slice(0, -1) ?? change.operation}: ${change.where}`);
}

describe('diffSpecs', () => {
  it('finds nothing between equal documents, recursive schemas included', () => {
    expect(diffSpecs(base(), base())).toEqual([]);
  });

  describe('operations', () => {
    it('a removed operation breaks; an added one does not', () => {
      expect(
        changesAfter((spec) => {
          delete (/** @type {Record<string, unknown>} */ (spec.paths['/things/{id}'])).get;
          /** @type {Record<string, unknown>} */ (spec.paths)['/others'] = { get: { operationId: 'listOthers', responses: { '200': { description: 'ok' } } } };
        }),
      ).toEqual(['removed-operation breaking getThing: ', 'added-operation non-breaking listOthers: ']);
    });

    it('a renamed path parameter is the same operation', () => {
      expect(
        changesAfter((spec) => {
          const item = /** @type {Record<string, unknown>} */ (spec.paths);
          item['/things/{thingId}'] = spec.paths['/things/{id}'];
          delete item['/things/{id}'];
          spec.paths['/things/{thingId}'].parameters[0].name = 'thingId';
        }),
      ).toEqual([]);
    });
  });

  describe('parameters', () => {
    it('a removed parameter breaks', () => {
      expect(changesAfter((spec) => void (spec.paths['/things/{id}'].get.parameters = []))).toEqual(['removed-parameter breaking getThing: query parameter limit']);
    });

    it('a new required parameter breaks; a new optional one does not', () => {
      expect(
        changesAfter((spec) => {
          spec.paths['/things/{id}'].get.parameters.push(
            /** @type {any} */ ({ name: 'expand', in: 'query', required: true, schema: { type: 'string' } }),
            /** @type {any} */ ({ name: 'fields', in: 'query', schema: { type: 'string' } }),
          );
        }),
      ).toEqual(['added-parameter breaking getThing: query parameter expand', 'added-parameter non-breaking getThing: query parameter fields']);
    });

    it('a header parameter is the same whatever the case of its name (HTTP compares them without case)', () => {
      const withHeader = (/** @type {string} */ name) => (/** @type {ReturnType<typeof base>} */ spec) =>
        void spec.paths['/things/{id}'].get.parameters.push(/** @type {any} */ ({ name, in: 'header', required: true, schema: { type: 'string' } }));
      const before = base();
      withHeader('X-Mode')(before);
      const after = base();
      withHeader('x-mode')(after);
      expect(diffSpecs(before, after)).toEqual([]);
    });

    it('an optional parameter made required breaks, through its $ref', () => {
      expect(changesAfter((spec) => void (spec.components.parameters.Limit.required = true))).toEqual(['parameter-now-required breaking getThing: query parameter limit']);
    });

    it('a tighter range breaks; a looser one does not', () => {
      expect(changesAfter((spec) => void (spec.components.parameters.Limit.schema.maximum = 50))).toEqual(['narrowed-constraint breaking getThing: query parameter limit']);
      expect(changesAfter((spec) => void (spec.components.parameters.Limit.schema.maximum = 500))).toEqual(['widened-constraint non-breaking getThing: query parameter limit']);
    });
  });

  describe('request bodies', () => {
    it('a new required request field breaks; a new optional one does not', () => {
      expect(
        changesAfter((spec) => {
          const input = /** @type {any} */ (spec.components.schemas.ThingInput);
          input.properties.owner = { type: 'string' };
          input.properties.note = { type: 'string' };
          input.required.push('owner');
        }),
      ).toEqual(['new-required-field breaking createThing: request body /owner', 'added-field non-breaking createThing: request body /note']);
    });

    it('a request field made required, or required through allOf, breaks', () => {
      expect(changesAfter((spec) => void spec.components.schemas.ThingInput.required.push('kind'))).toEqual(['field-now-required breaking createThing: request body /kind']);
      expect(
        changesAfter((spec) => {
          const media = spec.paths['/things'].post.requestBody.content['application/json'];
          media.schema = /** @type {any} */ ({ allOf: [{ $ref: '#/components/schemas/ThingInput' }, { required: ['tags'] }] });
        }),
      ).toEqual(['field-now-required breaking createThing: request body /tags']);
    });

    it('a removed request field breaks', () => {
      expect(changesAfter((spec) => void delete (/** @type {any} */ (spec.components.schemas.ThingInput.properties)).tags)).toEqual(['removed-field breaking createThing: request body /tags']);
    });

    it('a narrowed type or enum breaks a request; a widened one does not', () => {
      expect(changesAfter((spec) => void (spec.components.schemas.ThingInput.properties.name.type = /** @type {any} */ ('integer')))).toEqual([
        'narrowed-type breaking createThing: request body /name',
        'widened-type non-breaking createThing: request body /name',
      ]);
      expect(changesAfter((spec) => void (spec.components.schemas.ThingInput.properties.kind.enum = ['a']))).toEqual(['narrowed-enum breaking createThing: request body /kind']);
      expect(changesAfter((spec) => void spec.components.schemas.ThingInput.properties.kind.enum.push('c'))).toEqual(['widened-enum non-breaking createThing: request body /kind']);
      expect(changesAfter((spec) => void (spec.components.schemas.ThingInput.properties.tags.items.type = /** @type {any} */ (['string', 'null'])))).toEqual([
        'widened-type non-breaking createThing: request body /tags/[]',
      ]);
    });

    it('a shorter maximum length breaks a request', () => {
      expect(changesAfter((spec) => void (spec.components.schemas.ThingInput.properties.name.maxLength = 20))).toEqual(['narrowed-constraint breaking createThing: request body /name']);
      expect(changesAfter((spec) => void (spec.components.schemas.ThingInput.properties.name.pattern = '^\\S+$'))).toEqual(['narrowed-constraint breaking createThing: request body /name']);
    });

    it('a changed pattern may refuse what the old one accepted: breaking in a request', () => {
      const before = base();
      before.components.schemas.ThingInput.properties.name.pattern = '^[a-z]+:\\S+$';
      const after = base();
      after.components.schemas.ThingInput.properties.name.pattern = '^\\S+$';
      expect(diffSpecs(before, after).map((change) => `${change.rule} ${change.breaking}`)).toEqual(['changed-constraint true']);
    });

    it('a request body that becomes required breaks; a new optional one does not', () => {
      expect(changesAfter((spec) => void (spec.paths['/things'].post.requestBody.required = false))).toEqual(['request-body-now-optional non-breaking createThing: request body']);
      expect(
        changesAfter((spec) => {
          const get = /** @type {any} */ (spec.paths['/things/{id}'].get);
          get.requestBody = { required: true, content: { 'application/json': { schema: { type: 'object' } } } };
        }),
      ).toEqual(['added-request-body breaking getThing: request body']);
    });

    it('a lost oneOf alternative breaks a request', () => {
      const withAlternatives = (/** @type {any} */ spec, /** @type {unknown[]} */ alternatives) => {
        spec.components.schemas.ThingInput.properties.kind = { oneOf: alternatives };
      };
      const before = base();
      withAlternatives(before, [{ type: 'string' }, { type: 'integer' }]);
      const after = base();
      withAlternatives(after, [{ type: 'string' }]);
      expect(diffSpecs(before, after).map((change) => [change.rule, change.breaking, change.where])).toEqual([['narrowed-type', true, 'request body /kind']]);
    });
  });

  describe('responses', () => {
    it('a removed response field breaks, wherever the shared schema is used, recursion included', () => {
      expect(changesAfter((spec) => void delete (/** @type {any} */ (spec.components.schemas.Thing.properties)).size)).toEqual([
        'removed-field breaking createThing: response 201 body /size',
        'removed-field breaking getThing: response 200 body /size',
      ]);
    });

    it('a response field no longer required breaks; a new response field does not', () => {
      expect(
        changesAfter((spec) => {
          spec.components.schemas.Thing.required = ['id'];
          /** @type {any} */ (spec.components.schemas.Thing.properties).color = { type: 'string' };
        }),
      ).toEqual([
        'field-now-optional breaking createThing: response 201 body /name',
        'added-field non-breaking createThing: response 201 body /color',
        'field-now-optional breaking getThing: response 200 body /name',
        'added-field non-breaking getThing: response 200 body /color',
      ]);
    });

    it('a widened response type breaks; a new enum value is listed as non-breaking', () => {
      expect(changesAfter((spec) => void (spec.components.schemas.Thing.properties.size.type = /** @type {any} */ (['integer', 'null'])))).toContain(
        'widened-type breaking getThing: response 200 body /size',
      );
      expect(changesAfter((spec) => void spec.components.schemas.Thing.properties.status.enum.push('paused'))).toContain('widened-enum non-breaking getThing: response 200 body /status');
    });

    it('a removed status code breaks; an added one does not', () => {
      expect(
        changesAfter((spec) => {
          const responses = /** @type {any} */ (spec.paths['/things/{id}'].get.responses);
          delete responses['404'];
          responses['429'] = { description: 'slow down' };
        }),
      ).toEqual(['removed-status breaking getThing: response 404', 'added-status non-breaking getThing: response 429']);
    });

    it('a removed or no longer required response header breaks', () => {
      expect(changesAfter((spec) => void (spec.components.responses.ThingFound.headers['X-Rate'].required = false))).toEqual([
        'header-now-optional breaking createThing: response 201 header X-Rate',
        'header-now-optional breaking getThing: response 200 header X-Rate',
      ]);
      expect(changesAfter((spec) => void delete (/** @type {any} */ (spec.components.responses.ThingFound.headers))['X-Rate'])).toEqual([
        'removed-header breaking createThing: response 201 header X-Rate',
        'removed-header breaking getThing: response 200 header X-Rate',
      ]);
    });
  });

  describe('security', () => {
    it('an added requirement breaks', () => {
      expect(changesAfter((spec) => void (/** @type {any} */ (spec.paths['/things/{id}'].get).security = [{ bearer: [], key: [] }]))).toEqual([
        'added-security breaking getThing: security',
      ]);
    });

    it('a public operation that starts asking for a token breaks; dropping a requirement does not', () => {
      const open = base();
      /** @type {any} */ (open).security = [];
      expect(diffSpecs(open, base()).map((change) => [change.rule, change.breaking])).toEqual([
        ['added-security', true],
        ['added-security', true],
      ]);
      expect(diffSpecs(base(), open).map((change) => [change.rule, change.breaking])).toEqual([
        ['removed-security', false],
        ['removed-security', false],
      ]);
    });

    it('a scheme sent differently breaks', () => {
      const before = base();
      /** @type {any} */ (before.paths['/things/{id}'].get).security = [{ key: [] }];
      const after = structuredClone(before);
      after.components.securitySchemes.key.name = 'x-api-key';
      expect(diffSpecs(before, after)).toEqual([{ rule: 'changed-security-scheme', breaking: true, operation: 'security scheme key', where: 'name', message: '"x-key" -> "x-api-key"' }]);
    });
  });
});

describe('formatReport', () => {
  it('lists breaking changes first, each with its operation, place and rule', () => {
    const after = base();
    delete (/** @type {any} */ (after.components.schemas.Thing.properties)).size;
    /** @type {any} */ (after.components.schemas.Thing.properties).color = { type: 'string' };
    expect(formatReport(diffSpecs(base(), after).slice(0, 2), 'HEAD~1')).toBe(
      [
        'Breaking changes against HEAD~1 (1):',
        '  - POST /things (createThing): response 201 body /size: response field removed [removed-field]',
        '',
        'Non-breaking changes (1):',
        '  - POST /things (createThing): response 201 body /color: new optional response field [added-field]',
      ].join('\n'),
    );
    expect(formatReport([], 'main')).toBe('No changes to the API against main.');
  });
});
