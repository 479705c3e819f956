import type { JsonSchema } from './document.js';
import { followRefs, isObject, resolveRef, valueAt } from './refs.js';

/** A schema of the document with the pointer it lives at (after following its `$ref`s). */
export interface LocatedSchema {
  schema: JsonSchema;
  /** JSON pointer of the schema, for {@link createValidator}'s `validate`. */
  pointer: string;
}

/** A boolean schema as an object: `true` accepts anything, `false` nothing. */
const booleanSchema = (value: boolean): JsonSchema => (value ? {} : { not: {} });

/**
 * The schema at `pointer`, its `$ref`s followed, or undefined when there is none. Boolean schemas stay
 * where they are (Ajv compiles them there) and read as objects.
 */
export function schemaAt(document: unknown, pointer: string): LocatedSchema | undefined {
  const value = valueAt(document, pointer);
  if (value === undefined) return undefined;
  if (typeof value === 'boolean') return { schema: booleanSchema(value), pointer };
  const { pointer: target, node } = followRefs(document, pointer);
  return { schema: node, pointer: target };
}

/**
 * The schema with its `$ref` followed and its `allOf` merged into one object (properties joined,
 * `required` united, other keywords of later parts winning), which is how clients see it. Recurses
 * into `allOf` parts, not into properties. A missing schema or `true` is `{}`; `false` (or anything else that is not a schema) is `{ not: {} }`.
 */
export function flattenAllOf(document: unknown, schema: unknown): JsonSchema {
  const resolved = resolveRef(document, schema);
  if (!isObject(resolved)) return booleanSchema(resolved === true || resolved === undefined);
  if (!Array.isArray(resolved.allOf)) return resolved;
  const { allOf, ...rest } = resolved;
  return (allOf as unknown[])
    .map((part) => flattenAllOf(document, part))
    .reduce<JsonSchema>(
      (merged, part) => ({
        ...merged,
        ...part,
        properties: { ...(isObject(merged.properties) ? merged.properties : {}), ...(isObject(part.properties) ? part.properties : {}) },
        required: [...new Set([...(Array.isArray(merged.required) ? merged.required : []), ...(Array.isArray(part.required) ? part.required : [])])],
      }),
      rest,
    );
}

/** The JSON types a schema names in `type` (a string or a list), or undefined when it does not say. */
export function declaredTypes(schema: JsonSchema): string[] | undefined {
  if (schema.type === undefined) return undefined;
  return ([] as unknown[]).concat(schema.type).map(String);
}
