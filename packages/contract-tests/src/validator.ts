import { createValidator, schemaAt, textValue, type DocumentValidator, type SchemaError } from '@reportei-connect/spec-model';
import { at, type Json, type OpenApiDocument } from './spec.js';
import { describeValue } from './violations.js';

/** A schema failure, located by a JSON pointer into the validated value. */
export interface SchemaFailure {
  pointer: string;
  expected: string;
  actual: string;
}

/**
 * Validates values against schemas of the bundled document with spec-model's validator (Ajv, JSON
 * Schema 2020-12, the document's `jsonSchemaDialect`, formats on), independently of whatever server is
 * under test, and says each failure as expected against actual.
 */
export class SchemaValidator {
  private readonly validator: DocumentValidator;

  constructor(private readonly document: OpenApiDocument) {
    this.validator = createValidator(document);
  }

  isValid(schemaPointer: string, value: unknown): boolean {
    return this.validator.isValid(schemaPointer, value);
  }

  /** Every way `value` fails the schema at `schemaPointer`; empty when it conforms. */
  validate(schemaPointer: string, value: unknown): SchemaFailure[] {
    return this.describe(this.validator.validate(schemaPointer, value), value);
  }

  /**
   * Validates a header's or a query parameter's text against its schema, reading it as a number or a
   * boolean where the schema wants one (both are strings on the wire).
   */
  validateText(schemaPointer: string, text: string): SchemaFailure[] {
    return this.validate(schemaPointer, textValue(schemaAt(this.document, schemaPointer)?.schema ?? {}, text));
  }

  private describe(errors: SchemaError[], value: unknown): SchemaFailure[] {
    return withoutAlternativeDetails(errors).map((error) => describeError(error, value));
  }
}

/**
 * An anyOf/oneOf failure comes with the failures of each alternative, which would bury the one
 * useful line ("expected one of A, B, C") under a dozen others. Ajv reports those alternatives'
 * failures just before the anyOf's own, at or below its place in the value: drop that run of them.
 */
function withoutAlternativeDetails(errors: SchemaError[]): SchemaError[] {
  const dropped = new Set<number>();
  errors.forEach((error, index) => {
    if (error.keyword !== 'anyOf' && error.keyword !== 'oneOf') return;
    const within = (path: string) => path === error.instancePath || path.startsWith(`${error.instancePath}/`);
    for (let before = index - 1; before >= 0 && within(errors[before]!.instancePath); before--) dropped.add(before);
  });
  return errors.filter((_, index) => !dropped.has(index));
}

function alternativeNames(schemas: unknown): string {
  if (!Array.isArray(schemas)) return 'its alternatives';
  return schemas
    .map((schema: { $ref?: string; type?: unknown }) => (schema.$ref ? schema.$ref.split('/').pop() : JSON.stringify(schema.type ?? 'schema')))
    .join(', ');
}

function describeError(error: SchemaError, root: unknown): SchemaFailure {
  const params = error.params as Record<string, unknown>;
  const value = at(root as Json, error.instancePath);
  const here = { pointer: error.instancePath, actual: describeValue(value) };
  switch (error.keyword) {
    case 'required':
      return { pointer: `${error.instancePath}/${String(params.missingProperty)}`, expected: 'a value (required property)', actual: 'nothing' };
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      return { pointer: `${error.instancePath}/${name}`, expected: 'no such property (additionalProperties: false)', actual: describeValue((value as Record<string, unknown>)[name]) };
    }
    case 'type':
      return { ...here, expected: `type ${String(params.type)}` };
    case 'format':
      return { ...here, expected: `format "${String(params.format)}"` };
    case 'enum':
      return { ...here, expected: `one of ${JSON.stringify(params.allowedValues)}` };
    case 'const':
      return { ...here, expected: JSON.stringify(params.allowedValue) };
    case 'pattern':
      return { ...here, expected: `a string matching /${String(params.pattern)}/` };
    case 'anyOf':
    case 'oneOf':
      return { ...here, expected: `${error.keyword === 'oneOf' ? 'exactly one' : 'one'} of ${alternativeNames(error.schema)}` };
    default:
      return { ...here, expected: `${error.keyword}: ${error.message ?? 'to conform'}` };
  }
}
