import type { RequestInput } from './operations.js';
import type { Json, JsonObject, OperationSpec, Schema } from './spec.js';
import type { SchemaValidator } from './validator.js';

/** How query parameters are encoded, generated and judged: values travel as text. */

/** How a JSON value travels in a query string. */
const asQueryText = (value: Json): string => (typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value));

/** A query of JSON values, as text. */
export const queryOf = (values: JsonObject): NonNullable<RequestInput['query']> => Object.fromEntries(Object.entries(values).map(([name, value]) => [name, asQueryText(value)]));

/** `query` with `name` set to `value`, or removed when `value` is undefined. */
export function withQuery(query: RequestInput['query'], name: string, value: Json | undefined): NonNullable<RequestInput['query']> {
  const copy = { ...query };
  if (value === undefined) delete copy[name];
  else copy[name] = asQueryText(value);
  return copy;
}

const queryParameters = (operation: OperationSpec) => operation.parameters.filter((parameter) => parameter.in === 'query');

/** The query parameters as one object schema, so that the body machinery generates and mutates them too. */
export function querySchema(operation: OperationSpec): Schema | undefined {
  const parameters = queryParameters(operation);
  if (parameters.length === 0) return undefined;
  return {
    type: 'object',
    properties: Object.fromEntries(parameters.map((parameter) => [parameter.name, parameter.schema as Schema])),
    required: parameters.filter((parameter) => parameter.required).map((parameter) => parameter.name),
  };
}

/** Judges a generated or mutated query the way a server reads it: each value as text. */
export function queryConforms(operation: OperationSpec, validator: SchemaValidator, query: Record<string, Json>): boolean {
  return queryParameters(operation).every((parameter) => {
    const value = query[parameter.name];
    if (value === undefined) return !parameter.required;
    return parameter.schemaPointer === undefined || validator.validateText(parameter.schemaPointer, asQueryText(value)).length === 0;
  });
}
