// Turns an OpenAPI 3.1 document into the operation table of @reportei-connect/client: for each
// operationId, its method and path template, where each input field goes (path, query or body), whether
// it needs the customer token and whether it is safe to retry. The client builds one method per entry.

import { resolveRef } from '@reportei-connect/openapi/refs';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
/** Methods that are safe to repeat by definition; any other operation must say so with `x-idempotent: true`. */
const RETRY_SAFE_METHODS = new Set(['GET', 'PUT', 'DELETE']);
/** Names the client already uses for its own members. */
const RESERVED_NAMES = new Set(['raw', 'forCustomer', 'then', 'constructor', '__proto__']);
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

export class CodegenError extends Error {
  name = 'CodegenError';
}

/**
 * The top-level property names of a request body schema, following `$ref` and `allOf`.
 * @param {Record<string, any>} document
 * @param {any} schema
 * @param {string} where for error messages
 * @returns {string[]}
 */
function bodyFieldNames(document, schema, where) {
  const resolved = resolveRef(document, schema);
  if (!resolved || typeof resolved !== 'object') {
    throw new CodegenError(`${where}: the JSON request body has no schema; describe it as an object.`);
  }
  const names = new Set(Object.keys(resolved.properties ?? {}));
  for (const part of resolved.allOf ?? []) for (const name of bodyFieldNames(document, part, where)) names.add(name);
  const type = resolved.type;
  const isObject = type === 'object' || (Array.isArray(type) && type.includes('object')) || (type === undefined && (resolved.properties || resolved.allOf));
  if (!isObject || resolved.oneOf || resolved.anyOf) {
    throw new CodegenError(
      `${where}: the JSON request body must be an object schema (type: object, properties, or allOf of objects), ` +
        'because the client takes path, query and body fields in one object. Wrap the value in an object property.',
    );
  }
  return [...names];
}

/**
 * @typedef {object} OperationEntry
 * @property {string} operationId
 * @property {string} method upper case
 * @property {string} path the templated path
 * @property {string[]} pathParams
 * @property {string[]} queryParams
 * @property {string[] | null} bodyFields the known body properties, `null` when there is no body
 * @property {boolean} customer the operation needs the customer token
 * @property {boolean} retry the operation is safe to retry
 * @property {string | undefined} summary
 */

/**
 * Reads the operations of an OpenAPI document, failing with a clear message on what the client cannot
 * express (missing operationIds, duplicate names, header parameters, field name clashes, ...).
 * @param {Record<string, any>} document
 * @returns {{ operations: OperationEntry[], customerTokenHeader: string | undefined }}
 */
export function readOperations(document) {
  const schemes = document.components?.securitySchemes ?? {};
  /** @type {string | undefined} */
  let customerTokenHeader;
  /** @type {Set<string>} */
  const customerSchemes = new Set();
  for (const [name, raw] of Object.entries(schemes)) {
    const scheme = resolveRef(document, raw);
    if (scheme.type === 'http' && String(scheme.scheme).toLowerCase() === 'bearer') continue;
    if (scheme.type === 'apiKey' && scheme.in === 'header') {
      if (customerTokenHeader) {
        throw new CodegenError(`Security scheme "${name}": the client supports one API-key header (the customer token), and "${customerTokenHeader}" is already one.`);
      }
      customerTokenHeader = String(scheme.name).toLowerCase();
      customerSchemes.add(name);
      continue;
    }
    throw new CodegenError(
      `Security scheme "${name}" (${scheme.type}${scheme.in ? ` in ${scheme.in}` : ''}) is not supported: the client sends a bearer token and, for customer operations, one API-key header.`,
    );
  }

  /** @type {OperationEntry[]} */
  const operations = [];
  const seenIds = new Map();
  for (const [path, rawItem] of Object.entries(document.paths ?? {})) {
    const item = resolveRef(document, rawItem);
    for (const lower of HTTP_METHODS) {
      const operation = item[lower];
      if (!operation) continue;
      const method = lower.toUpperCase();
      const at = `${method} ${path}`;
      const operationId = operation.operationId;
      if (!operationId) throw new CodegenError(`${at} has no operationId; the client names each method after it.`);
      if (!IDENTIFIER.test(operationId)) throw new CodegenError(`${at}: operationId "${operationId}" is not a JavaScript identifier.`);
      if (RESERVED_NAMES.has(operationId)) throw new CodegenError(`${at}: operationId "${operationId}" is reserved by the client; rename the operation.`);
      if (seenIds.has(operationId)) throw new CodegenError(`operationId "${operationId}" is used by both ${seenIds.get(operationId)} and ${at}.`);
      seenIds.set(operationId, at);
      const where = `${operationId} (${at})`;

      // Operation-level parameters override path-level ones with the same name and location.
      const parameters = new Map();
      for (const raw of [...(item.parameters ?? []), ...(operation.parameters ?? [])]) {
        const parameter = resolveRef(document, raw);
        parameters.set(`${parameter.in}:${parameter.name}`, parameter);
      }
      /** @type {string[]} */ const pathParams = [];
      /** @type {string[]} */ const queryParams = [];
      for (const parameter of parameters.values()) {
        if (parameter.in === 'path') pathParams.push(parameter.name);
        else if (parameter.in === 'query') {
          const schema = resolveRef(document, parameter.schema ?? {});
          if (schema.type === 'object' || parameter.content) {
            throw new CodegenError(`${where}: query parameter "${parameter.name}" is an object; the client serialises scalar and array query values only.`);
          }
          queryParams.push(parameter.name);
        } else {
          throw new CodegenError(
            `${where}: ${parameter.in} parameter "${parameter.name}" is not supported; the client sends path, query and JSON body fields (and the auth headers) only.`,
          );
        }
      }
      const templateNames = [...path.matchAll(/\{([^{}]+)\}/g)].map((match) => match[1]);
      for (const name of templateNames) {
        if (!pathParams.includes(name)) throw new CodegenError(`${where}: the path has {${name}} but no path parameter "${name}" is declared.`);
      }
      for (const name of pathParams) {
        if (!templateNames.includes(name)) throw new CodegenError(`${where}: path parameter "${name}" does not appear in the path.`);
      }

      /** @type {string[] | null} */
      let bodyFields = null;
      if (operation.requestBody) {
        const requestBody = resolveRef(document, operation.requestBody);
        const json = requestBody.content?.['application/json'];
        if (!json) {
          throw new CodegenError(`${where}: the request body has no application/json content (found ${Object.keys(requestBody.content ?? {}).join(', ') || 'none'}); the client sends JSON only.`);
        }
        bodyFields = bodyFieldNames(document, json.schema, where);
      }

      const places = new Map();
      for (const [place, names] of /** @type {const} */ ([['path parameter', pathParams], ['query parameter', queryParams], ['body property', bodyFields ?? []]])) {
        for (const name of names) {
          if (places.has(name)) {
            throw new CodegenError(
              `${where}: field "${name}" is both a ${places.get(name)} and a ${place}. The client takes path, query and body fields in one object, so their names must differ: rename one of them in the spec.`,
            );
          }
          places.set(name, place);
        }
      }

      const security = operation.security ?? document.security ?? [];
      for (const requirement of security) {
        for (const name of Object.keys(requirement)) {
          if (!(name in schemes)) throw new CodegenError(`${where}: security requirement names "${name}", which is not in components.securitySchemes.`);
        }
      }
      const customer = security.length > 0 && security.every((requirement) => Object.keys(requirement).some((name) => customerSchemes.has(name)));
      const idempotent = operation['x-idempotent'];
      if (idempotent !== undefined && typeof idempotent !== 'boolean') throw new CodegenError(`${where}: x-idempotent must be true or false.`);
      const retry = RETRY_SAFE_METHODS.has(method) ? idempotent !== false : idempotent === true;

      operations.push({ operationId, method, path, pathParams, queryParams, bodyFields, customer, retry, summary: operation.summary });
    }
  }
  if (operations.length === 0) throw new CodegenError('The spec has no operations under `paths`.');
  return { operations, customerTokenHeader };
}

/** @param {unknown} value */
const literal = (value) => JSON.stringify(value).replace(/"/g, "'");

/**
 * The TypeScript source of `src/generated/operations.ts` (without its "generated" first line).
 * @param {Record<string, any>} document
 */
export function generateOperations(document) {
  const { operations, customerTokenHeader } = readOperations(document);
  if (!customerTokenHeader && operations.some((operation) => operation.customer)) {
    throw new CodegenError('Some operations need the customer token but no apiKey header scheme defines it.');
  }
  const entries = operations.map((op) => {
    const fields = [
      op.pathParams.length ? `path: ${op.pathParams.join(', ')}` : '',
      op.queryParams.length ? `query: ${op.queryParams.join(', ')}` : '',
      op.bodyFields ? `body: ${op.bodyFields.join(', ') || '(no declared fields)'}` : '',
    ].filter(Boolean);
    const doc = `${op.method} ${op.path}${op.summary ? `: ${op.summary}` : ''}${fields.length ? `. ${fields.join('; ')}` : ''}`;
    return (
      `  /** ${doc.replace(/\*\//g, '*\\/')} */\n` +
      `  ${op.operationId}: { method: ${literal(op.method)}, path: ${literal(op.path)}, pathParams: ${literal(op.pathParams)}, queryParams: ${literal(op.queryParams)}, ` +
      `body: ${op.bodyFields !== null}, customer: ${op.customer}, retry: ${op.retry} },`
    );
  });
  return `/** The header that carries a customer's token on customer-scoped operations. */
export const customerTokenHeader = ${literal(customerTokenHeader ?? '')};

/**
 * One entry per operation: \`path\` is the templated path; \`pathParams\` and \`queryParams\` name the input
 * fields sent in the path and query string, and every other field goes to the JSON body when \`body\` is
 * true; \`customer\` operations need the customer token; \`retry\` operations are safe to repeat (GET, PUT,
 * DELETE, or \`x-idempotent: true\`).
 */
export const operationTable = {
${entries.join('\n')}
} as const;
`;
}
