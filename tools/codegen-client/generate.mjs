// Turns an OpenAPI 3.1 document into the operation table of @reportei-connect/client: for each
// operationId, its method and path template, which input fields go to the path and the query string
// (every other one to the JSON body), whether it requires the customer token and whether it may be
// retried. The client builds one method per entry. The operations, their parameters, auth and flags
// are @reportei-connect/spec-model's reading of the document; this adds only what the client cannot
// express.
import { CodegenError, literal, quote } from '@reportei-connect/codegen-core';
import { declaredTypes, flattenAllOf, HTTP_METHODS, listOperations, retryableByDefault, securitySchemes } from '@reportei-connect/spec-model';

/**
 * @typedef {import('@reportei-connect/spec-model').OpenApiDocument} OpenApiDocument
 * @typedef {import('@reportei-connect/spec-model').OperationModel} OperationModel
 * @typedef {import('@reportei-connect/spec-model').HttpMethod} HttpMethod
 */

/** Names the client already uses for its own members. */
const RESERVED_NAMES = new Set(['raw', 'forCustomer', 'then', 'constructor', '__proto__']);
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * One operation as the client sees it.
 * @typedef {object} ClientOperation
 * @property {string} id the operationId, which names the client's method
 * @property {HttpMethod} method
 * @property {string} path the templated path
 * @property {string[]} pathFields the input fields sent in the path
 * @property {string[]} queryFields the input fields sent in the query string
 * @property {string[] | undefined} bodyFields the declared properties of the JSON body; undefined when it takes none
 * @property {boolean} requiresCustomerToken only the client from `forCustomer` has the method
 * @property {boolean} retryable safe to send again after a failure that may have reached the server
 * @property {OperationModel} model the operation as @reportei-connect/spec-model reads it
 */

/**
 * The top-level property names of a request body schema, `$ref`s followed and `allOf` merged.
 * @param {OpenApiDocument} document
 * @param {unknown} schema
 * @param {string} where for error messages
 * @returns {string[]}
 */
function bodyFieldNames(document, schema, where) {
  const flat = flattenAllOf(document, schema);
  const types = declaredTypes(flat);
  const isObject = types ? types.includes('object') : flat.properties !== undefined;
  if (!isObject || flat.oneOf || flat.anyOf) {
    throw new CodegenError(
      `${where}: the JSON request body must be an object schema (type: object, properties, or allOf of objects), ` +
        'because the client takes path, query and body fields in one object. Wrap the value in an object property.',
    );
  }
  return Object.keys(flat.properties ?? {});
}

/**
 * The operations of a document as the client sees them, failing with a clear message on what the client
 * cannot express (names it cannot use, header parameters, object query values, field name clashes, ...);
 * and the header that carries the customer token.
 * @param {OpenApiDocument} document
 * @returns {{ operations: ClientOperation[], customerTokenHeader: string | undefined }}
 */
export function clientOperations(document) {
  const models = listOperations(document);
  if (models.length === 0) throw new CodegenError('The spec has no operations under `paths`.');
  const operations = models.map((model) => {
    const { id, method, path } = model;
    const where = `${id} (${method} ${path})`;
    if (!IDENTIFIER.test(id)) throw new CodegenError(`${where}: the operationId is not a JavaScript identifier.`);
    if (RESERVED_NAMES.has(id)) throw new CodegenError(`${where}: the operationId is reserved by the client; rename the operation.`);

    /** @type {string[]} */ const pathFields = [];
    /** @type {string[]} */ const queryFields = [];
    for (const parameter of model.parameters) {
      if (parameter.in === 'path') pathFields.push(parameter.name);
      else if (parameter.in === 'query') {
        if (declaredTypes(parameter.schema)?.includes('object')) {
          throw new CodegenError(`${where}: query parameter "${parameter.name}" is an object; the client serialises scalar and array query values only.`);
        }
        queryFields.push(parameter.name);
      } else {
        throw new CodegenError(
          `${where}: ${parameter.in} parameter "${parameter.name}" is not supported; the client sends path, query and JSON body fields (and the auth headers) only.`,
        );
      }
    }
    const templateNames = [...path.matchAll(/\{([^{}]+)\}/g)].map((match) => match[1]);
    for (const name of templateNames) {
      if (!pathFields.includes(String(name))) throw new CodegenError(`${where}: the path has {${name}} but no path parameter "${name}" is declared.`);
    }
    for (const name of pathFields) {
      if (!templateNames.includes(name)) throw new CodegenError(`${where}: path parameter "${name}" does not appear in the path.`);
    }
    const bodyFields = model.requestBody && bodyFieldNames(document, model.requestBody.schema, where);

    /** @type {Map<string, string>} */
    const places = new Map();
    for (const [place, names] of /** @type {const} */ ([['path parameter', pathFields], ['query parameter', queryFields], ['body property', bodyFields ?? []]])) {
      for (const name of names) {
        if (places.has(name)) {
          throw new CodegenError(
            `${where}: field "${name}" is both a ${places.get(name)} and a ${place}. The client takes path, query and body fields in one object, so their names must differ: rename one of them in the spec.`,
          );
        }
        places.set(name, place);
      }
    }
    return { id, method, path, pathFields, queryFields, bodyFields, requiresCustomerToken: model.auth === 'merchant+customer', retryable: model.retryable, model };
  });
  return { operations, customerTokenHeader: securitySchemes(document).customer?.header };
}

/**
 * The TypeScript source of the client's `src/generated/operations.ts` (without its first, "generated" line).
 * @param {OpenApiDocument} document
 */
export function generateOperations(document) {
  const { operations, customerTokenHeader } = clientOperations(document);
  const methods = HTTP_METHODS.map((method) => /** @type {HttpMethod} */ (method.toUpperCase()));
  const entries = operations.map((operation) => {
    const fields = [
      operation.pathFields.length ? `path: ${operation.pathFields.join(', ')}` : '',
      operation.queryFields.length ? `query: ${operation.queryFields.join(', ')}` : '',
      operation.bodyFields ? `body: ${operation.bodyFields.join(', ') || '(no declared fields)'}` : '',
    ].filter(Boolean);
    const summary = operation.model.summary;
    const doc = `${operation.method} ${operation.path}${summary ? `: ${summary}` : ''}${fields.length ? `. ${fields.join('; ')}` : ''}`;
    const entry = {
      method: operation.method,
      path: operation.path,
      pathFields: operation.pathFields,
      queryFields: operation.queryFields,
      hasJsonBody: operation.bodyFields !== undefined,
      requiresCustomerToken: operation.requiresCustomerToken,
      retryable: operation.retryable,
    };
    return `  /** ${doc.replace(/\*\//g, '*\\/')} */\n  ${operation.id}: ${literal(entry)},`;
  });
  return `/** The header that carries a customer's token on the operations that require it. */
export const customerTokenHeader = ${quote(customerTokenHeader ?? '')};

/**
 * The methods retried when the operation is not known (\`raw\` requests): those safe to repeat by
 * definition. A known operation says for itself (\`retryable\`).
 */
export const retryableMethods: readonly string[] = ${literal(methods.filter(retryableByDefault))};

/**
 * One entry per operation, by operationId:
 * - \`path\`: the templated path;
 * - \`pathFields\`, \`queryFields\`: the input fields sent in the path and in the query string;
 * - \`hasJsonBody\`: the operation takes a JSON body, made of every other input field;
 * - \`requiresCustomerToken\`: only the client returned by \`forCustomer\` has the method;
 * - \`retryable\`: safe to send again after a failure (GET, PUT and DELETE unless marked
 *   \`x-idempotent: false\`; other methods only when marked \`x-idempotent: true\`).
 */
export const operationTable = {
${entries.join('\n')}
} as const;
`;
}

/** @type {import('@reportei-connect/codegen-core').Generator} */
export const generator = {
  name: '@reportei-connect/codegen-client',
  bin: 'connect-codegen-client',
  output: "the .ts file of the client's operation table",
  generate: ({ document }) => generateOperations(document),
};
