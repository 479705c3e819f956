// Adds `x-codeSamples` (cURL and TypeScript with @reportei-connect/client) to every operation of a
// bundled OpenAPI document. Every sample is derived from the operation itself (operationId, method,
// path, security, parameter and request-body examples): nothing here is written per operation, so a
// new operation in the spec gets its samples on the next build. The operations, their parameters,
// examples and credentials are @reportei-connect/spec-model's reading of the document; which fields
// each client method takes and which need the customer token come from @reportei-connect/codegen-client,
// the reading the client is generated from, so the TypeScript samples call the client as it really is.

import { CodegenError, isIdentifier, literal } from '@reportei-connect/codegen-core';
import { clientOperations } from '@reportei-connect/codegen-client';
import { credentialsFor, securitySchemes, valueAt } from '@reportei-connect/spec-model';

/**
 * @typedef {import('@reportei-connect/spec-model').OpenApiDocument} OpenApiDocument
 * @typedef {import('@reportei-connect/spec-model').OperationModel} OperationModel
 * @typedef {import('@reportei-connect/spec-model').ParameterModel} ParameterModel
 * @typedef {import('@reportei-connect/spec-model').SecuritySchemes} SecuritySchemes
 * @typedef {import('@reportei-connect/codegen-client').ClientOperation} ClientOperation
 */

/**
 * @typedef {object} OperationFacts
 * @property {string} operationId
 * @property {string} method            upper-case HTTP method
 * @property {string} path              the templated path, such as `/customers/{uuid}`
 * @property {Record<string, unknown>} pathParams
 * @property {Record<string, unknown>} queryParams   required ones, and optional ones with an example
 * @property {Record<string, unknown> | undefined} body   the request-body example, when there is one
 * @property {{ role: 'merchant' | 'customer', header: string, value: string, envVar: string }[]} authHeaders
 *   one header per credential the operation needs, merchant first
 * @property {boolean} customerScoped  only the client returned by `forCustomer` has the operation
 * @property {string | undefined} unwrapKey  the single property every success body is wrapped in
 */

/**
 * The environment variables the samples read the tokens from, the names used everywhere in the
 * repository (READMEs, guides, examples; the docs tests check it): the merchant token is
 * `REPORTEI_CONNECT_TOKEN`, the variable `createConnectClient()` itself reads.
 */
const ENV = { merchant: 'REPORTEI_CONNECT_TOKEN', customer: 'REPORTEI_CONNECT_CUSTOMER_TOKEN' };
/** How the cURL samples spell each credential's header. */
const HEADER_NAMES = { merchant: 'Authorization', customer: undefined };

const CLIENT_PACKAGE = '@reportei-connect/client';

/**
 * Returns a copy of `document` where every operation under `paths` has `x-codeSamples`.
 * Throws when an operation lacks what a sample needs (an example for a required parameter or body),
 * naming the operation and what to add to the spec, or when the client could not call it.
 *
 * @template {OpenApiDocument} Document
 * @param {Document} document a bundled document (only local `#/...` references)
 * @returns {Document}
 */
export function addCodeSamples(document) {
  const result = structuredClone(document);
  const serverUrl = valueAt(result, '/servers/0/url');
  if (typeof serverUrl !== 'string') {
    throw new CodegenError('The document has no `servers[0].url`; add one so the cURL samples have a URL to call.');
  }
  const schemes = securitySchemes(result);
  for (const entry of clientOperations(result).operations) {
    const facts = describeOperation(entry, schemes);
    const operation = valueAt(result, entry.model.pointer);
    if (operation['x-codeSamples'] !== undefined) {
      throw new CodegenError(`${entry.id} already has x-codeSamples; remove them from the spec, since the docs build generates them.`);
    }
    operation['x-codeSamples'] = [
      { lang: 'curl', label: 'cURL', source: curlSample(facts, serverUrl) },
      { lang: 'typescript', label: 'TypeScript', source: typeScriptSample(facts) },
    ];
  }
  return result;
}

/**
 * Gathers from the spec everything the samples of one operation show.
 *
 * @param {ClientOperation} entry the client's view of the operation
 * @param {SecuritySchemes} schemes
 * @returns {OperationFacts}
 */
export function describeOperation(entry, schemes) {
  const { id: operationId, model } = entry;
  /** @type {Record<string, unknown>} */
  const pathParams = {};
  /** @type {Record<string, unknown>} */
  const queryParams = {};
  for (const parameter of model.parameters) {
    const example = parameterExample(parameter);
    if (example === undefined) {
      if (parameter.required) {
        throw new CodegenError(
          `${operationId}: the required ${parameter.in} parameter "${parameter.name}" has no example; ` +
            'add `example` to it in the spec so the samples can show a value.',
        );
      }
      continue;
    }
    if (parameter.in === 'path') pathParams[parameter.name] = example;
    else if (parameter.in === 'query') queryParams[parameter.name] = example;
  }

  return {
    operationId,
    method: entry.method,
    path: entry.path,
    pathParams,
    queryParams,
    body: requestBodyExample(model),
    authHeaders: credentialsFor(schemes, model.auth).map(({ role, header, format }) => ({
      role,
      header: HEADER_NAMES[role] ?? header,
      value: format(`$${ENV[role]}`),
      envVar: ENV[role],
    })),
    customerScoped: entry.requiresCustomerToken,
    unwrapKey: successWrapperKey(model),
  };
}

/**
 * A cURL command line for the operation, reading the tokens from environment variables.
 *
 * @param {OperationFacts} facts
 * @param {string} serverUrl
 */
export function curlSample(facts, serverUrl) {
  const url = serverUrl.replace(/\/$/, '') + expandPath(facts.path, facts.pathParams) + queryString(facts.queryParams);
  const lines = [facts.method === 'GET' ? `curl ${shellQuote(url)}` : `curl -X ${facts.method} ${shellQuote(url)}`];
  for (const { header, value } of facts.authHeaders) {
    // Double quotes so the shell expands the token variable.
    lines.push(`-H "${header}: ${value}"`);
  }
  if (facts.body !== undefined) {
    lines.push(`-H 'Content-Type: application/json'`);
    // Indented one level more than the flags, so the JSON reads as part of the command.
    lines.push(`-d ${shellQuote(JSON.stringify(facts.body, null, 2)).replace(/\n/g, '\n  ')}`);
  }
  return lines.join(' \\\n  ') + '\n';
}

/**
 * A TypeScript program calling the operation through @reportei-connect/client.
 *
 * @param {OperationFacts} facts
 */
export function typeScriptSample(facts) {
  const merchantEnv = facts.authHeaders.find((auth) => auth.role === 'merchant')?.envVar;
  if (merchantEnv === undefined) {
    throw new CodegenError(`${facts.operationId}: the client always sends the merchant bearer token, but this operation's security does not use it.`);
  }
  const lines = [
    `import { createConnectClient } from '${CLIENT_PACKAGE}';`,
    '',
    `const connect = createConnectClient({ token: process.env.${merchantEnv}! });`,
  ];
  let receiver = 'connect';
  if (facts.customerScoped) {
    const customerEnv = facts.authHeaders.find((auth) => auth.role === 'customer')?.envVar;
    lines.push(`const acme = connect.forCustomer(process.env.${customerEnv}!);`);
    receiver = 'acme';
  }
  lines.push('');

  const input = { ...facts.pathParams, ...facts.queryParams, ...facts.body };
  const argument = Object.keys(input).length === 0 ? '' : literal(input, '');
  const call = `await ${receiver}.${facts.operationId}(${argument})`;
  const unwrapKey = facts.unwrapKey;
  if (unwrapKey !== undefined && isIdentifier(unwrapKey) && !['connect', 'acme'].includes(unwrapKey)) {
    lines.push(`const { ${unwrapKey} } = ${call};`, `console.log(${unwrapKey});`);
  } else {
    lines.push(`const response = ${call};`, 'console.log(response);');
  }
  return lines.join('\n') + '\n';
}

/**
 * Quotes a word for POSIX shells: single quotes, with each embedded `'` closed, escaped and reopened.
 *
 * @param {string} word
 */
export function shellQuote(word) {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * @param {string} path
 * @param {Record<string, unknown>} pathParams
 */
function expandPath(path, pathParams) {
  return path.replace(/\{([^}]+)\}/g, (_, name) => encodeURIComponent(String(pathParams[name])));
}

/** @param {Record<string, unknown>} queryParams */
function queryString(queryParams) {
  const entries = Object.entries(queryParams).map(([name, value]) => [name, String(value)]);
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries)}`;
}

/**
 * The value a sample shows for a parameter: its `example`, else its first named example, else its
 * schema's.
 * @param {ParameterModel} parameter
 * @returns {unknown}
 */
function parameterExample(parameter) {
  if (parameter.example !== undefined) return parameter.example;
  const [named] = Object.values(parameter.examples);
  if (named !== undefined) return named;
  const { schema } = parameter;
  if (schema.example !== undefined) return schema.example;
  return Array.isArray(schema.examples) ? schema.examples[0] : undefined;
}

/**
 * The JSON request-body example of an operation; the client takes body fields as properties of
 * its single argument, so the example must be an object.
 *
 * @param {OperationModel} model
 * @returns {Record<string, unknown> | undefined}
 */
function requestBodyExample(model) {
  const body = model.requestBody;
  if (body === undefined) return undefined;
  const example = body.example ?? Object.values(body.examples)[0];
  if (example === undefined) {
    if (body.required) {
      throw new CodegenError(`${model.id}: the required JSON request body has no example; add one to the spec so the samples can show it.`);
    }
    return undefined;
  }
  if (example === null || typeof example !== 'object' || Array.isArray(example)) {
    throw new CodegenError(`${model.id}: the request-body example is not a JSON object, so it cannot be passed as the client method's fields.`);
  }
  return /** @type {Record<string, unknown>} */ (example);
}

/**
 * When every success response body is an object with exactly one property, all of them required
 * (such as `{ customer }`), that property's name; the sample then destructures it.
 *
 * @param {OperationModel} model
 * @returns {string | undefined}
 */
function successWrapperKey(model) {
  const keys = new Set();
  for (const response of model.responses) {
    if (!/^2\d\d$/.test(response.status)) continue;
    const schema = response.schema ?? {};
    const properties = Object.keys(schema.properties ?? {});
    const required = schema.required ?? [];
    if (schema.type !== 'object' || properties.length !== 1 || !required.includes(properties[0]) || schema.additionalProperties) {
      return undefined;
    }
    keys.add(properties[0]);
  }
  return keys.size === 1 ? [...keys][0] : undefined;
}

/** @type {import('@reportei-connect/codegen-core').Generator} */
export const generator = {
  name: '@reportei-connect/codegen-samples',
  bin: 'connect-codegen-samples',
  output: 'the .json file of the document with x-codeSamples on every operation',
  generate: ({ document }) => `${JSON.stringify(addCodeSamples(document), null, 2)}\n`,
};
