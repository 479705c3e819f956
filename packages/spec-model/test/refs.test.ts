import { describe, expect, it } from 'vitest';
import { followRefs, keysOf, pointerOf, RefError, resolveRef, SpecModelError, valueAt } from '../src/index.js';

const document = {
  paths: { '/a/{id}': { get: { parameters: [{ $ref: '#/components/parameters/Id' }] } } },
  components: {
    parameters: { Id: { $ref: '#/components/parameters/Real' }, Real: { name: 'id', in: 'path' } },
    schemas: {
      'a~b': { type: 'string' },
      'a/b': { $ref: '#/components/schemas/a~0b' },
      'with space': { $ref: '#/components/schemas/a%7E0b' },
      Loop: { $ref: '#/components/schemas/Loop' },
      Ping: { $ref: '#/components/schemas/Pong' },
      Pong: { $ref: '#/components/schemas/Ping' },
      Broken: { $ref: '#/components/schemas/Missing' },
    },
  },
};

describe('refs', () => {
  it('escapes keys into pointers and back, and reads values through objects and arrays', () => {
    expect(pointerOf('paths', '/a/{id}', 'get')).toBe('/paths/~1a~1{id}/get');
    expect(pointerOf('components', 'schemas', 'a~b', 0)).toBe('/components/schemas/a~0b/0');
    expect(keysOf('/paths/~1a~1{id}/get/~0x')).toEqual(['paths', '/a/{id}', 'get', '~x']);
    expect(keysOf('')).toEqual([]);
    expect(() => keysOf('paths')).toThrow(SpecModelError);
    expect(valueAt(document, `${pointerOf('paths', '/a/{id}', 'get', 'parameters')}/0`)).toEqual({ $ref: '#/components/parameters/Id' });
    expect(valueAt(document, pointerOf('components', 'schemas', 'a~b'))).toEqual({ type: 'string' });
    expect(valueAt(document, '/nowhere/at/all')).toBeUndefined();
    expect(valueAt(document, '/components/constructor')).toBeUndefined();
    expect(valueAt(document, '')).toBe(document);
  });

  it('follows chains of $refs, escaped or percent-encoded, and answers where they end', () => {
    expect(followRefs(document, `${pointerOf('paths', '/a/{id}', 'get', 'parameters')}/0`)).toEqual({ pointer: '/components/parameters/Real', node: { name: 'id', in: 'path' } });
    expect(followRefs(document, pointerOf('components', 'schemas', 'a/b'))).toEqual({ pointer: '/components/schemas/a~0b', node: { type: 'string' } });
    expect(followRefs(document, pointerOf('components', 'schemas', 'with space')).node).toEqual({ type: 'string' });
    expect(resolveRef(document, { $ref: '#/components/parameters/Id' })).toEqual({ name: 'id', in: 'path' });
    expect(resolveRef(document, { type: 'string' })).toEqual({ type: 'string' });
    expect(resolveRef(document, undefined)).toBeUndefined();
  });

  it('says what is wrong with a $ref it cannot follow', () => {
    expect(() => resolveRef(document, { $ref: '#/components/schemas/Broken' })).toThrow('$ref "#/components/schemas/Missing" points at nothing.');
    expect(() => resolveRef(document, { $ref: '#/components/schemas/Loop' })).toThrow('$ref cycle through "#/components/schemas/Loop".');
    expect(() => resolveRef(document, { $ref: '#/components/schemas/Ping' })).toThrow('$ref cycle through "#/components/schemas/Ping".');
    expect(() => resolveRef(document, { $ref: 'other.yaml#/a' })).toThrow('Only local $refs can be followed, found "other.yaml#/a": bundle the document first.');
    expect(() => followRefs(document, '/nowhere')).toThrow('The document has no object at "/nowhere".');
    expect(() => followRefs(document, '/nowhere')).toThrow(RefError);
  });
});
