import { describe, expect, it } from 'vitest';
import { flattenAllOf, schemaAt } from '../src/index.js';
import { fixture } from './fixture.js';

const document = fixture();

describe('flattenAllOf', () => {
  it('merges allOf parts, following $refs: properties joined, required united, later keywords winning', () => {
    expect(flattenAllOf(document, { $ref: '#/components/schemas/Thing' })).toEqual({
      type: 'object',
      description: 'A thing',
      required: ['name', 'id'],
      properties: { name: { type: 'string', minLength: 1 }, id: { type: 'string' }, parent: { $ref: '#/components/schemas/Thing' } },
    });
  });

  it('recurses into nested allOf and leaves other schemas as they are', () => {
    const nested = { allOf: [{ allOf: [{ properties: { a: {} } }, { required: ['a'] }] }, { properties: { b: {} }, required: ['b', 'a'] }] };
    expect(flattenAllOf(document, nested)).toEqual({ properties: { a: {}, b: {} }, required: ['a', 'b'] });
    expect(flattenAllOf(document, { type: 'string' })).toEqual({ type: 'string' });
  });

  it('reads boolean and missing schemas as objects', () => {
    expect(flattenAllOf(document, true)).toEqual({});
    expect(flattenAllOf(document, undefined)).toEqual({});
    expect(flattenAllOf(document, false)).toEqual({ not: {} });
  });
});

describe('schemaAt', () => {
  it('answers the schema at a pointer with the pointer it lives at, or undefined', () => {
    expect(schemaAt(document, '/components/schemas/ThingInput')).toEqual({ pointer: '/components/schemas/Named', schema: expect.objectContaining({ required: ['name'] }) });
    expect(schemaAt({ s: false }, '/s')).toEqual({ pointer: '/s', schema: { not: {} } });
    expect(schemaAt(document, '/components/schemas/Nothing')).toBeUndefined();
  });
});
