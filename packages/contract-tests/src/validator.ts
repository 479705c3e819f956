import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { at, follow, type Json, type JsonObject } from './spec.js';
import { describeValue } from './violations.js';

/** A schema failure, located by a JSON pointer into the validated value. */
export interface SchemaFailure {
  pointer: string;
  expected: string;
  actual: string;
}

const documentId = 'openapi.json';

/**
 * Validates values against schemas of the bundled document with Ajv (JSON Schema 2020-12, the
 * document's `jsonSchemaDialect`, formats on), independently of whatever server is under test.
 */
export class SchemaValidator {
  private readonly ajv: Ajv2020;

  constructor(private readonly document: JsonObject) {
    // strict: false, because the OpenAPI document around the schemas has keywords Ajv does not know.
    // verbose: true keeps each failing schema, which names the alternatives of an anyOf.
    this.ajv = new Ajv2020({ strict: false, allErrors: true, verbose: true });
    // ajv-formats is CommonJS: under NodeNext its default import is `module.exports`, the plugin is `.default`.
    ajvFormats.default(this.ajv);
    this.ajv.addSchema(document, documentId);
  }

  private compiled(schemaPointer: string): ValidateFunction {
    const validate = this.ajv.getSchema(`${documentId}#${schemaPointer}`);
    if (!validate) throw new Error(`The document has no schema at ${schemaPointer}`);
    return validate;
  }

  isValid(schemaPointer: string, value: unknown): boolean {
    return this.compiled(schemaPointer)(value) === true;
  }

  /** Every way `value` fails the schema at `schemaPointer`; empty when it conforms. */
  validate(schemaPointer: string, value: unknown): SchemaFailure[] {
    const validate = this.compiled(schemaPointer);
    if (validate(value)) return [];
    return withoutAlternativeDetails(validate.errors ?? []).map((error) => describeError(error, value));
  }

  /**
   * Validates a header's or a query parameter's text against its schema, reading digits as a number
   * where the schema wants one (both are strings on the wire).
   */
  validateText(schemaPointer: string, text: string): SchemaFailure[] {
    const { node } = follow(this.document, schemaPointer);
    const types = ([] as Json[]).concat(node.type ?? []);
    const numeric = (types.includes('integer') || types.includes('number')) && /^-?\d+(\.\d+)?$/.test(text.trim());
    return this.validate(schemaPointer, numeric ? Number(text) : text);
  }
}

/**
 * An anyOf/oneOf failure comes with the failures of each alternative, which would bury the one
 * useful line ("expected one of A, B, C") under a dozen others. Ajv reports those alternatives'
 * failures just before the anyOf's own, at or below its place in the value: drop that run of them.
 */
function withoutAlternativeDetails(errors: ErrorObject[]): ErrorObject[] {
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

function describeError(error: ErrorObject, root: unknown): SchemaFailure {
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
