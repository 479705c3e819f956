// The one Ajv of the repository: JSON Schema 2020-12 (the document's `jsonSchemaDialect`), formats on,
// the whole document registered once, schemas compiled by JSON pointer.
import { Ajv2020, type ErrorObject, type Options, type ValidateFunction } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import type { OpenApiDocument } from './document.js';
import { SpecModelError } from './refs.js';
import { declaredTypes, schemaAt } from './schema.js';

/** One way a value fails a schema, as Ajv reports it (`instancePath` is a JSON pointer into the value). */
export type SchemaError = ErrorObject;

export interface DocumentValidator {
  /** The Ajv instance, with the document added under {@link DocumentValidator.documentId}. */
  readonly ajv: Ajv2020;
  readonly documentId: string;
  /** The compiled schema at a JSON pointer of the document (compiled once, then cached). */
  compile(pointer: string): ValidateFunction;
  /** Every way `value` fails the schema at `pointer`; empty when it conforms. */
  validate(pointer: string, value: unknown): SchemaError[];
  isValid(pointer: string, value: unknown): boolean;
  /**
   * Validates the text of a header or a query or path parameter (always a string on the wire) against
   * its schema, reading it as a number or a boolean where the schema wants one.
   */
  validateText(pointer: string, text: string): SchemaError[];
}

/**
 * The options every validator shares: `strict: false`, because the OpenAPI document around the schemas
 * has keywords Ajv does not know; `allErrors`, to report every failure; `verbose`, which keeps each
 * failing schema (it names the alternatives of an anyOf).
 */
export const validatorOptions = { strict: false, allErrors: true, verbose: true } as const satisfies Options;

/** The value a header's or parameter's text stands for, given its schema's declared types. */
export function textValue(schema: Record<string, unknown>, text: string): unknown {
  const types = declaredTypes(schema) ?? [];
  const trimmed = text.trim();
  if ((types.includes('integer') || types.includes('number')) && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(trimmed)) return Number(trimmed);
  if (types.includes('boolean') && (trimmed === 'true' || trimmed === 'false')) return trimmed === 'true';
  return text;
}

/**
 * Ajv 2020-12 with ajv-formats and `document` added once (as `documentId`), so any JSON pointer into it
 * compiles as a schema, its `$ref`s included. `options` are added to {@link validatorOptions}.
 */
export function createValidator(document: OpenApiDocument, options: { documentId?: string; ajv?: Options } = {}): DocumentValidator {
  const documentId = options.documentId ?? 'openapi.json';
  const ajv = new Ajv2020({ ...validatorOptions, ...options.ajv });
  // ajv-formats is CommonJS: under NodeNext its default import is `module.exports`, the plugin is `.default`.
  ajvFormats.default(ajv);
  ajv.addSchema(document, documentId);
  const cache = new Map<string, ValidateFunction>();
  const compile = (pointer: string) => {
    let validate = cache.get(pointer);
    if (!validate) {
      validate = ajv.getSchema(`${documentId}#${pointer}`);
      if (!validate) throw new SpecModelError(`The document has no schema at "${pointer}".`);
      cache.set(pointer, validate);
    }
    return validate;
  };
  const validate = (pointer: string, value: unknown) => {
    const compiled = compile(pointer);
    return compiled(value) ? [] : [...(compiled.errors ?? [])];
  };
  return {
    ajv,
    documentId,
    compile,
    validate,
    isValid: (pointer, value) => compile(pointer)(value) === true,
    validateText: (pointer, text) => validate(pointer, textValue(schemaAt(document, pointer)?.schema ?? {}, text)),
  };
}

/** Errors as one line each: `/uuid must match format "uuid"` (`/` for the value itself). */
export function formatErrors(errors: readonly SchemaError[]): string[] {
  return errors.map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`);
}
