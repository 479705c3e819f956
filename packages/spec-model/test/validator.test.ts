import { describe, expect, it } from 'vitest';
import { createValidator, formatErrors, SpecModelError, textValue } from '../src/index.js';
import { fixture } from './fixture.js';

const document = fixture();
const validator = createValidator(document);

describe('createValidator', () => {
  it('validates against any schema of the document by pointer, $refs and allOf included', () => {
    expect(validator.validate('/components/schemas/Thing', { id: 't', name: 'n', parent: { id: 'p', name: 'q' } })).toEqual([]);
    expect(formatErrors(validator.validate('/components/schemas/Thing', { id: 1, parent: { id: 'p' } }))).toEqual([
      "/ must have required property 'name'",
      '/id must be string',
      "/parent must have required property 'name'",
    ]);
    expect(validator.isValid('/components/headers/Remaining/schema', -1)).toBe(false);
  });

  it('checks formats (JSON Schema 2020-12 with ajv-formats)', () => {
    expect(formatErrors(validator.validate('/components/parameters/RealId/schema', 'not-a-uuid'))).toEqual(['/ must match format "uuid"']);
    expect(validator.validate('/components/parameters/RealId/schema', '0b6f1f57-3ac1-4b8a-9d2b-6fd2d64c4b1a')).toEqual([]);
  });

  it('keeps the failing schema on each error (verbose), which names the alternatives of an anyOf', () => {
    const withAnyOf = { ...document, components: { ...document.components, schemas: { Either: { anyOf: [{ type: 'string' }, { type: 'integer' }] } } } };
    const [error] = createValidator(withAnyOf).validate('/components/schemas/Either', true).filter((e) => e.keyword === 'anyOf');
    expect(error?.schema).toEqual([{ type: 'string' }, { type: 'integer' }]);
  });

  it('compiles each pointer once', () => {
    expect(validator.compile('/components/schemas/Thing')).toBe(validator.compile('/components/schemas/Thing'));
    expect(validator.ajv.getSchema(`${validator.documentId}#/components/schemas/Named`)).toBeTypeOf('function');
  });

  it('reads header and parameter text as the schema wants it', () => {
    expect(validator.validateText('/components/headers/Remaining/schema', '42')).toEqual([]);
    expect(formatErrors(validator.validateText('/components/headers/Remaining/schema', 'many'))).toEqual(['/ must be integer']);
    expect(textValue({ type: 'boolean' }, 'true')).toBe(true);
    expect(textValue({ type: ['number', 'null'] }, '-1.5e3')).toBe(-1500);
    expect(textValue({ type: 'string' }, '42')).toBe('42');
  });

  it('says so when there is no schema at a pointer', () => {
    expect(() => validator.validate('/components/schemas/Nothing', 1)).toThrow(SpecModelError);
  });
});
