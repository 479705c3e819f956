import fc from 'fast-check';
import { flattenAllOf, pointerOf, type Json, type JsonObject, type OpenApiDocument, type Schema } from './spec.js';

/**
 * fast-check arbitraries of the values a JSON Schema of the document accepts, for the subset of
 * 2020-12 that request schemas use: $ref, allOf of objects, oneOf/anyOf, const, enum, type lists,
 * objects, arrays, strings (length, pattern, formats uuid/date/date-time/uri), integers, numbers,
 * booleans and null. Anything else fails loudly, so that a new keyword is noticed, not ignored.
 */

const handled = new Set([
  '$ref', 'allOf', 'oneOf', 'anyOf', 'const', 'enum', 'type', 'properties', 'required', 'additionalProperties', 'items',
  'minItems', 'maxItems', 'minLength', 'maxLength', 'pattern', 'format', 'minimum', 'maximum', 'default',
  // Annotations, which do not constrain values.
  'description', 'title', 'examples', 'example', 'deprecated', 'readOnly', 'writeOnly',
]);

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The JSON types a schema allows, looking through oneOf/anyOf; undefined when it allows anything. */
function allowedTypes(document: OpenApiDocument, schema: Schema): Set<string> | undefined {
  const flat = flattenAllOf(document, schema);
  if (flat.type !== undefined) return new Set(([] as Json[]).concat(flat.type).map(String));
  if (flat.const !== undefined || Array.isArray(flat.enum)) {
    return new Set(([] as Json[]).concat(flat.const !== undefined ? [flat.const] : (flat.enum as Json[])).map(jsonType));
  }
  const alternatives = (flat.oneOf ?? flat.anyOf) as Schema[] | undefined;
  if (alternatives) {
    const types = alternatives.map((alternative) => allowedTypes(document, alternative));
    return types.some((set) => set === undefined) ? undefined : new Set(types.flatMap((set) => [...set!]));
  }
  if (isObject(flat.properties)) return new Set(['object']);
  return undefined;
}

function jsonType(value: Json | undefined): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

const day = (date: Date) => date.toISOString().slice(0, 10);
const dates = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2030-12-31T23:59:59Z'), noInvalidDate: true });

function stringArbitrary(schema: Schema): fc.Arbitrary<string> {
  const minLength = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : minLength + 24;
  const fits = (text: string) => text.length >= minLength && text.length <= maxLength;
  switch (schema.format) {
    case 'uuid':
      return fc.uuid();
    case 'date':
      return dates.map(day);
    case 'date-time':
      return dates.map((date) => date.toISOString());
    case 'uri':
      return fc.webUrl({ withQueryParameters: true });
    case undefined:
      break;
    default:
      throw new Error(`No generator for string format "${String(schema.format)}": teach src/arbitrary.ts.`);
  }
  if (typeof schema.pattern === 'string') return fc.stringMatching(new RegExp(schema.pattern)).filter(fits);
  return fc.string({ minLength, maxLength: Math.min(maxLength, minLength + 24) });
}

export function arbitraryFor(document: OpenApiDocument, schema: Schema): fc.Arbitrary<Json> {
  const flat = flattenAllOf(document, schema);
  const unknown = Object.keys(flat).filter((keyword) => !handled.has(keyword) && !keyword.startsWith('x-'));
  if (unknown.length > 0) throw new Error(`No generator for the keywords ${unknown.join(', ')}: teach src/arbitrary.ts.`);
  if (flat.const !== undefined) return fc.constant(flat.const);
  if (Array.isArray(flat.enum)) return fc.constantFrom(...flat.enum);
  const alternatives = (flat.oneOf ?? flat.anyOf) as Schema[] | undefined;
  if (alternatives) return fc.oneof(...alternatives.map((alternative) => arbitraryFor(document, alternative)));
  if (Array.isArray(flat.type)) return fc.oneof(...flat.type.map((type) => arbitraryFor(document, { ...flat, type })));

  const type = flat.type ?? (isObject(flat.properties) ? 'object' : undefined);
  switch (type) {
    case 'string':
      return stringArbitrary(flat);
    case 'integer':
      return fc.integer({
        min: typeof flat.minimum === 'number' ? flat.minimum : -1000,
        max: typeof flat.maximum === 'number' ? flat.maximum : (typeof flat.minimum === 'number' ? flat.minimum : 0) + 1000,
      });
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true, min: typeof flat.minimum === 'number' ? flat.minimum : -1e6, max: typeof flat.maximum === 'number' ? flat.maximum : 1e6 });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const minLength = typeof flat.minItems === 'number' ? flat.minItems : 0;
      const maxLength = Math.min(typeof flat.maxItems === 'number' ? flat.maxItems : 3, Math.max(minLength, 3));
      const items = isObject(flat.items) ? arbitraryFor(document, flat.items) : fc.jsonValue({ maxDepth: 1 });
      return fc.array(items as fc.Arbitrary<Json>, { minLength, maxLength });
    }
    case 'object': {
      const properties = isObject(flat.properties) ? flat.properties : {};
      const names = Object.keys(properties);
      if (names.length === 0) {
        const values = isObject(flat.additionalProperties) ? arbitraryFor(document, flat.additionalProperties) : fc.jsonValue({ maxDepth: 1 });
        return fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), values, { maxKeys: 3 }) as fc.Arbitrary<Json>;
      }
      const model = Object.fromEntries(names.map((name) => [name, arbitraryFor(document, properties[name] as Schema)]));
      const requiredKeys = ((flat.required as string[] | undefined) ?? []).filter((name) => names.includes(name));
      return fc.record(model, { requiredKeys }) as fc.Arbitrary<Json>;
    }
    case undefined:
      return fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>;
    default:
      throw new Error(`No generator for type "${String(type)}": teach src/arbitrary.ts.`);
  }
}

/** A way to make a valid value invalid, at one place in it. */
export interface Mutation {
  /** JSON pointer of the place changed, inside the value. */
  pointer: string;
  /** What the place became, such as `missing` or `a string ("contract-tests")`. */
  change: string;
  apply(value: Json): Json;
}

export function setAt(root: Json, pointer: string, replacement: Json | undefined): Json {
  if (pointer === '') return replacement ?? null;
  const copy = structuredClone(root);
  const keys = pointer.slice(1).split('/').map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = keys.pop()!;
  const parent = keys.reduce<Json>((node, key) => (Array.isArray(node) ? node[Number(key)]! : (node as JsonObject)[key]!), copy);
  if (Array.isArray(parent)) parent[Number(last)] = replacement ?? null;
  else if (replacement === undefined) delete (parent as JsonObject)[last];
  else (parent as JsonObject)[last] = replacement;
  return copy;
}

const wrongTypeCandidates: Json[] = ['contract-tests', 12345, true, null, [], {}];

/**
 * Values that break the schema at this place only: a value of another type, and values just outside
 * its constraints (format, pattern, enum, length, range). Callers confirm with Ajv that each
 * replacement really is invalid, since a union may still accept it.
 */
export interface Replacement {
  /** `type`: a value of another JSON type; `constraint`: the right type, just outside a constraint. */
  kind: 'type' | 'constraint';
  change: string;
  value: Json;
}

export function replacementsFor(document: OpenApiDocument, schema: Schema): Replacement[] {
  const flat = flattenAllOf(document, schema);
  const types = allowedTypes(document, flat);
  const replacements: Replacement[] = [];
  const constraint = (change: string, value: Json) => replacements.push({ kind: 'constraint', change, value });
  const wrongType = types && wrongTypeCandidates.find((candidate) => {
    const type = jsonType(candidate);
    return !types.has(type) && !(type === 'integer' && types.has('number'));
  });
  if (wrongType !== undefined) {
    const type = jsonType(wrongType);
    replacements.push({ kind: 'type', change: `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type} (${JSON.stringify(wrongType)})`, value: wrongType });
  }
  if (typeof flat.format === 'string') constraint(`not a ${flat.format}`, `not-a-${flat.format}`);
  if (typeof flat.pattern === 'string') constraint(`not matching /${flat.pattern}/`, ' ');
  if (Array.isArray(flat.enum)) constraint('outside the enum', 'not-in-the-enum');
  if (typeof flat.minLength === 'number' && flat.minLength > 0) constraint('an empty string', '');
  if (typeof flat.maxLength === 'number') constraint(`${flat.maxLength + 1} characters long`, 'x'.repeat(flat.maxLength + 1));
  if (typeof flat.minimum === 'number') constraint(String(flat.minimum - 1), flat.minimum - 1);
  if (typeof flat.maximum === 'number') constraint(String(flat.maximum + 1), flat.maximum + 1);
  if (typeof flat.minItems === 'number' && flat.minItems > 0) constraint('an empty array', []);
  return replacements;
}

/** Every single-place mutation of a valid `value` of `schema`: removed required properties and bad replacements, at any depth. */
export function mutationsOf(document: OpenApiDocument, schema: Schema, value: Json, pointer = ''): Mutation[] {
  const flat = flattenAllOf(document, schema);
  const mutations: Mutation[] = replacementsFor(document, flat).map(({ change, value: replacement }) => ({
    pointer,
    change,
    apply: (root) => setAt(root, pointer, replacement),
  }));
  if (isObject(value) && isObject(flat.properties)) {
    for (const name of (flat.required as string[] | undefined) ?? []) {
      if (name in value) mutations.push({ pointer: `${pointer}${pointerOf(name)}`, change: 'missing', apply: (root) => setAt(root, `${pointer}${pointerOf(name)}`, undefined) });
    }
    for (const [name, child] of Object.entries(value)) {
      const childSchema = flat.properties[name];
      if (isObject(childSchema)) mutations.push(...mutationsOf(document, childSchema, child, `${pointer}${pointerOf(name)}`));
    }
  }
  if (Array.isArray(value) && isObject(flat.items) && value.length > 0) mutations.push(...mutationsOf(document, flat.items, value[0]!, `${pointer}/0`));
  return mutations;
}
