import { textValue, type ApiSpec, type OperationModel, type SchemaError } from './spec.js';

/** Field messages of a 422, by field name (dotted for nested fields, as the API writes them). */
export type FieldErrors = Record<string, string[]>;

/** A request the handlers refuse with 422 after the schema accepted it (a date range backwards, ...). */
export class ValidationFailure extends Error {
  override name = 'ValidationFailure';
  constructor(readonly errors: FieldErrors) {
    super(Object.values(errors)[0]?.[0] ?? 'The given data was invalid.');
  }
}

/** The documented 422 body: the first message (and how many more), and every field's messages. */
export function validationBody(errors: FieldErrors): { message: string; errors: FieldErrors } {
  const messages = Object.values(errors).flat();
  const more = messages.length - 1;
  return { message: `${messages[0] ?? 'The given data was invalid.'}${more > 0 ? ` (and ${more} more error${more > 1 ? 's' : ''})` : ''}`, errors };
}

/** `metrics.0.reference_key` as people read it: `metrics.0.reference key`. */
const label = (field: string) => field.replace(/_/g, ' ');

const TYPE_WORDS: Record<string, string> = {
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  array: 'an array',
  object: 'an object',
  null: 'null',
};

const FORMAT_WORDS: Record<string, string> = {
  uuid: 'a valid UUID',
  date: 'a valid date (YYYY-MM-DD)',
  'date-time': 'a valid RFC 3339 date and time',
  uri: 'a valid absolute URL',
  email: 'a valid email address',
};

/** One Ajv error in the API's words. */
function messageOf(error: SchemaError, field: string): string {
  const name = label(field);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `The ${name} field is required.`;
    case 'type': {
      const types = String(params.type).split(',');
      return `The ${name} field must be ${types.map((type) => TYPE_WORDS[type] ?? type).join(' or ')}.`;
    }
    case 'minimum':
      return `The ${name} field must be at least ${params.limit}.`;
    case 'maximum':
      return `The ${name} field must not be greater than ${params.limit}.`;
    case 'minLength':
      return params.limit === 1 ? `The ${name} field must not be empty.` : `The ${name} field must be at least ${params.limit} characters.`;
    case 'maxLength':
      return `The ${name} field must not be greater than ${params.limit} characters.`;
    case 'minItems':
      return `The ${name} field must have at least ${params.limit} item${params.limit === 1 ? '' : 's'}.`;
    case 'maxItems':
      return `The ${name} field must not have more than ${params.limit} items.`;
    case 'format':
      return `The ${name} field must be ${FORMAT_WORDS[String(params.format)] ?? `in the ${params.format} format`}.`;
    case 'pattern':
      return `The ${name} field format is invalid.`;
    case 'enum':
      return `The selected ${name} is invalid: use one of ${(params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(', ')}.`;
    case 'const':
      return `The ${name} field must be ${JSON.stringify(params.allowedValue)}.`;
    case 'oneOf':
    case 'anyOf':
      return `The ${name} field is invalid.`;
    case 'additionalProperties':
      return `The ${label(`${field}.${params.additionalProperty}`)} field is not allowed.`;
    default:
      return `The ${name} field ${error.message ?? 'is invalid'}.`;
  }
}

/** The field an error is about: its place in the value, dotted, under `root` (a parameter's name, or none for a body). */
function fieldOf(error: SchemaError, root: string | undefined): string {
  const keys = error.instancePath === '' ? [] : error.instancePath.slice(1).split('/').map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (error.keyword === 'required') keys.push(String((error.params as { missingProperty: string }).missingProperty));
  const path = [...(root === undefined ? [] : [root]), ...keys];
  return path.length > 0 ? path.join('.') : 'body';
}

/** Adds the errors of one value to `into`, one message per field and kind of failure. */
function collectErrors(errors: readonly SchemaError[], root: string | undefined, into: FieldErrors): void {
  // A oneOf/anyOf failure also reports why each alternative failed; keep the summary only.
  const alternatives = errors.filter((error) => error.keyword === 'oneOf' || error.keyword === 'anyOf').map((error) => error.instancePath);
  for (const error of errors) {
    const insideAlternative = error.keyword !== 'oneOf' && error.keyword !== 'anyOf' && alternatives.some((path) => error.instancePath === path || error.instancePath.startsWith(`${path}/`));
    if (insideAlternative || error.keyword === 'if' || error.keyword === 'allOf') continue;
    const field = fieldOf(error, root);
    const message = messageOf(error, field);
    const list = (into[field] ??= []);
    if (!list.includes(message)) list.push(message);
  }
}

export interface ParsedRequest {
  pathParams: Record<string, string>;
  /** Query parameters the operation declares, read as their schemas' types. */
  query: Record<string, unknown>;
  body: unknown;
}

const asText = (value: unknown) => (typeof value === 'string' ? value : undefined);

/**
 * Checks a request against its operation in the spec: path and query parameters, and the JSON body.
 * Answers the parsed request, or the field errors of a 422.
 */
export function validateRequest(
  spec: ApiSpec,
  operation: OperationModel,
  input: { pathParams: Record<string, string>; searchParams: URLSearchParams; body: unknown },
): { ok: true; request: ParsedRequest } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const query: Record<string, unknown> = {};
  for (const parameter of operation.parameters) {
    if (parameter.in !== 'path' && parameter.in !== 'query') continue;
    const text = parameter.in === 'path' ? asText(input.pathParams[parameter.name]) : (input.searchParams.get(parameter.name) ?? undefined);
    if (text === undefined || text === '') {
      if (parameter.required) errors[parameter.name] = [`The ${label(parameter.name)} field is required.`];
      continue;
    }
    if (parameter.schemaPointer) collectErrors(spec.validator.validateText(parameter.schemaPointer, text), parameter.name, errors);
    // JSON Schema takes 1e400 (Infinity) and 1e3 for integers; a parameter written in a URL is digits.
    if (parameter.schema.type === 'integer' && !errors[parameter.name] && !(/^[+-]?\d+$/.test(text) && Number.isSafeInteger(Number(text)))) {
      errors[parameter.name] = [`The ${label(parameter.name)} field must be a whole number (digits only, at most ${Number.MAX_SAFE_INTEGER}).`];
    }
    if (parameter.in === 'query') query[parameter.name] = textValue(parameter.schema, text);
  }
  let body = input.body;
  if (operation.requestBody) {
    // An empty body is an empty object, as the API reads a form without fields: its required fields are named.
    if (body === undefined) body = {};
    collectErrors(spec.validator.validate(operation.requestBody.schemaPointer, body), undefined, errors);
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, request: { pathParams: input.pathParams, query, body } };
}
