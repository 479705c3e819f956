import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { followRefs as follow, pointerOf, valueAt as at } from '@reportei-connect/openapi/refs';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
/** A JSON Schema object from the document (booleans, allowed by 2020-12, are not used by this spec). */
export type Schema = JsonObject;

const require = createRequire(import.meta.url);

/** The bundled OpenAPI document, as `@reportei-connect/openapi` exports it. */
export function loadBundledSpec(): JsonObject {
  return JSON.parse(readFileSync(require.resolve('@reportei-connect/openapi/openapi.json'), 'utf8')) as JsonObject;
}

export const httpMethods = ['get', 'put', 'post', 'delete', 'patch'] as const;
export type HttpMethod = (typeof httpMethods)[number];

export interface ParameterSpec {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  /** JSON pointer to the parameter's schema in the document, for Ajv. */
  schemaPointer: string;
  schema: Schema;
  example: Json | undefined;
}

export interface HeaderSpec {
  name: string;
  required: boolean;
  schemaPointer: string;
}

export interface ResponseSpec {
  /** As written in the document: `200`, `4XX` or `default`. */
  status: string;
  /** JSON pointer to the JSON body's schema, when the response documents one. */
  jsonSchemaPointer: string | undefined;
  mediaTypes: string[];
  headers: HeaderSpec[];
}

export interface RequestBodySpec {
  required: boolean;
  schemaPointer: string;
  schema: Schema;
  /** The named examples' values, in document order. */
  examples: Json[];
}

export interface SecurityScheme {
  name: string;
  /** The header that carries it: `Authorization` for bearer schemes. */
  header: string;
  /** Turns a token into the header's value. */
  format(token: string): string;
}

export interface OperationSpec {
  operationId: string;
  method: HttpMethod;
  /** Templated, as in the document: `/customers/{uuid}`. */
  path: string;
  /** The schemes of the operation's security requirement, all needed at once; empty when public. */
  security: SecurityScheme[];
  parameters: ParameterSpec[];
  requestBody: RequestBodySpec | undefined;
  responses: ResponseSpec[];
  /** Changes state on the server: anything but GET, unless the spec marks it `x-idempotent`. */
  writes: boolean;
}

// One implementation of JSON pointers and $refs for everything that reads the document.
export { followRefs as follow, pointerOf, valueAt as at } from '@reportei-connect/openapi/refs';

const isObject = (value: Json | undefined): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

function securitySchemes(document: JsonObject, requirement: JsonObject | undefined): SecurityScheme[] {
  return Object.keys(requirement ?? {}).map((name) => {
    const { node } = follow(document, pointerOf('components', 'securitySchemes', name));
    if (node.type === 'http' && String(node.scheme).toLowerCase() === 'bearer') {
      return { name, header: 'Authorization', format: (token: string) => `Bearer ${token}` };
    }
    if (node.type === 'apiKey' && node.in === 'header' && typeof node.name === 'string') {
      return { name, header: node.name, format: (token: string) => token };
    }
    throw new Error(`Security scheme ${name} (${String(node.type)}) is neither a bearer nor a header API key: teach src/spec.ts to send it.`);
  });
}

function parametersOf(document: JsonObject, pathPointer: string, operationPointer: string): ParameterSpec[] {
  const byKey = new Map<string, ParameterSpec>();
  // Operation-level parameters override path-level ones with the same name and location.
  for (const listPointer of [`${pathPointer}/parameters`, `${operationPointer}/parameters`]) {
    const list = at(document, listPointer);
    if (!Array.isArray(list)) continue;
    list.forEach((_, index) => {
      const { pointer, node } = follow(document, `${listPointer}/${index}`);
      const location = node.in as ParameterSpec['in'];
      const schema = follow(document, `${pointer}/schema`);
      byKey.set(`${location}:${String(node.name)}`, {
        name: String(node.name),
        in: location,
        required: node.required === true,
        schemaPointer: schema.pointer,
        schema: schema.node,
        example: node.example,
      });
    });
  }
  return [...byKey.values()];
}

const isJsonMediaType = (mediaType: string) => /^application\/(?:[\w.+-]+\+)?json$/.test(mediaType);

function responsesOf(document: JsonObject, operationPointer: string): ResponseSpec[] {
  const responses = at(document, `${operationPointer}/responses`);
  if (!isObject(responses)) return [];
  return Object.keys(responses).map((status) => {
    const { pointer, node } = follow(document, `${operationPointer}/responses${pointerOf(status)}`);
    const content = isObject(node.content) ? node.content : {};
    const jsonMediaType = Object.keys(content).find(isJsonMediaType);
    const headers = isObject(node.headers) ? node.headers : {};
    return {
      status,
      mediaTypes: Object.keys(content),
      jsonSchemaPointer: jsonMediaType ? follow(document, `${pointer}/content${pointerOf(jsonMediaType, 'schema')}`).pointer : undefined,
      headers: Object.keys(headers).map((name) => {
        const header = follow(document, `${pointer}/headers${pointerOf(name)}`);
        return { name, required: header.node.required === true, schemaPointer: follow(document, `${header.pointer}/schema`).pointer };
      }),
    };
  });
}

function requestBodyOf(document: JsonObject, operationPointer: string): RequestBodySpec | undefined {
  if (at(document, `${operationPointer}/requestBody`) === undefined) return undefined;
  const { pointer, node } = follow(document, `${operationPointer}/requestBody`);
  const content = isObject(node.content) ? node.content : {};
  const jsonMediaType = Object.keys(content).find(isJsonMediaType);
  if (!jsonMediaType) throw new Error(`${operationPointer}: only JSON request bodies are supported`);
  const mediaPointer = `${pointer}/content${pointerOf(jsonMediaType)}`;
  const schema = follow(document, `${mediaPointer}/schema`);
  const examples = at(document, `${mediaPointer}/examples`);
  return {
    required: node.required === true,
    schemaPointer: schema.pointer,
    schema: schema.node,
    examples: isObject(examples) ? Object.keys(examples).map((name) => follow(document, `${mediaPointer}/examples${pointerOf(name)}`).node.value ?? null) : [],
  };
}

/** Every operation of the document, in document order (path by path, then by method). */
export function listOperations(document: JsonObject): OperationSpec[] {
  const paths = isObject(document.paths) ? document.paths : {};
  const globalSecurity = Array.isArray(document.security) ? document.security : [];
  return Object.keys(paths).flatMap((path) => {
    const pathPointer = follow(document, pointerOf('paths', path)).pointer;
    return httpMethods.flatMap((method) => {
      const operationPointer = `${pathPointer}/${method}`;
      const operation = at(document, operationPointer);
      if (!isObject(operation)) return [];
      if (typeof operation.operationId !== 'string') throw new Error(`${method.toUpperCase()} ${path} has no operationId`);
      const requirements = Array.isArray(operation.security) ? operation.security : globalSecurity;
      if (requirements.length > 1) throw new Error(`${operation.operationId}: alternative security requirements are not supported`);
      return [
        {
          operationId: operation.operationId,
          method,
          path,
          security: securitySchemes(document, requirements[0] as JsonObject | undefined),
          parameters: parametersOf(document, pathPointer, operationPointer),
          requestBody: requestBodyOf(document, operationPointer),
          responses: responsesOf(document, operationPointer),
          writes: method !== 'get' && operation['x-idempotent'] !== true,
        },
      ];
    });
  });
}

/** The documented response for a status: the exact code first, then its `4XX`-style range, then `default`. */
export function documentedResponse(operation: OperationSpec, status: number): ResponseSpec | undefined {
  const find = (key: string) => operation.responses.find((response) => response.status.toUpperCase() === key);
  return find(String(status)) ?? find(`${String(status)[0]}XX`) ?? find('DEFAULT');
}

export function documentedStatuses(operation: OperationSpec, range: 2 | 4): string[] {
  return operation.responses.map((response) => response.status).filter((status) => status.startsWith(String(range)));
}
