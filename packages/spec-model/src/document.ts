import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { isObject, SpecModelError, type AnyObject } from './refs.js';

/** The methods a path item may hold, in the order OpenAPI lists them: the one list of the repository. */
export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

/** An operation's method, upper case as on the wire: `GET`, `POST`, ... */
export type HttpMethod = Uppercase<(typeof HTTP_METHODS)[number]>;

/** A bundled OpenAPI 3.1 document: every `$ref` local. */
export type OpenApiDocument = {
  openapi: string;
  paths?: Record<string, AnyObject>;
  components?: Record<string, AnyObject>;
  [key: string]: unknown;
};

/**
 * A JSON Schema (2020-12) object of the document. Boolean schemas are read as objects: `true` as `{}`
 * and `false` as `{ not: {} }`.
 */
export type JsonSchema = AnyObject;

/** Whether `method` (any case) is one of {@link HTTP_METHODS}. */
export function isHttpMethod(method: string): boolean {
  return (HTTP_METHODS as readonly string[]).includes(method.toLowerCase());
}

/**
 * Reads a bundled document from a file: YAML when the name ends in `.yaml` or `.yml`, JSON otherwise.
 * Checks only that it is an object with an `openapi` version.
 */
export function loadDocument(path: string): OpenApiDocument {
  const text = readFileSync(path, 'utf8');
  let document: unknown;
  try {
    document = /\.ya?ml$/i.test(path) ? parse(text) : JSON.parse(text);
  } catch (error) {
    throw new SpecModelError(`${path} is not valid ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return asDocument(document, path);
}

/** `value` as an OpenAPI document, after checking it looks like one. */
export function asDocument(value: unknown, where = 'The document'): OpenApiDocument {
  if (!isObject(value) || typeof value.openapi !== 'string') {
    throw new SpecModelError(`${where} is not an OpenAPI document: it has no "openapi" version.`);
  }
  return value as OpenApiDocument;
}
