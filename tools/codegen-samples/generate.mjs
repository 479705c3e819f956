// @ts-check
// Adds `x-codeSamples` (cURL and TypeScript with @reportei-connect/client) to every operation of a
// bundled OpenAPI document. Every sample is derived from the operation itself (operationId, method,
// path, security, parameter and request-body examples): nothing here is written per operation, so a
// new operation in the spec gets its samples on the next build. Which operations exist, which fields
// each takes and which need the customer token come from tools/codegen-client, the same reading of
// the spec the client is generated from, so the TypeScript samples call the client as it really is.

import { resolveRef } from '@reportei-connect/openapi/refs';
import { readOperations } from '../codegen-client/generate.mjs';

/** @typedef {Record<string, any>} OpenApiDocument */

/**
 * @typedef {object} OperationFacts
 * @property {string} operationId
 * @property {string} method            upper-case HTTP method
 * @property {string} path              the templated path, such as `/customers/{uuid}`
 * @property {Record<string, unknown>} pathParams
 * @property {Record<string, unknown>} queryParams   required ones, and optional ones with an example
 * @property {Record<string, unknown> | undefined} body   the request-body example, when there is one
 * @property {{ scheme: string, header: string, value: string, envVar: string }[]} authHeaders
 *   one header per security scheme of the operation's first security requirement
 * @property {boolean} customerScoped  only the client returned by `forCustomer` has the operation
 * @property {string | undefined} unwrapKey  the single property every success body is wrapped in
 */

/**
 * The environment variables the samples read the tokens from, the names used everywhere in the
 * repository (READMEs, guides, examples; the docs tests check it): the bearer token is the merchant
 * token, `REPORTEI_CONNECT_TOKEN`, the variable `createConnectClient()` itself reads.
 */
const BEARER_ENV = 'REPORTEI_CONNECT_TOKEN';
/** @type {Record<string, string | undefined>} The same for each API-key header, by its lower-case name. */
const HEADER_ENV = { 'x-customer-token': 'REPORTEI_CONNECT_CUSTOMER_TOKEN' };

const CLIENT_PACKAGE = '@reportei-connect/client';

/**
 * Returns a copy of `document` where every operation under `paths` has `x-codeSamples`.
 * Throws when an operation lacks what a sample needs (an example for a required parameter or body),
 * naming the operation and what to add to the spec, or when the client could not call it.
 *
 * @param {OpenApiDocument} document a bundled document (only local `#/...` references)
 * @returns {OpenApiDocument}
 */
export function addCodeSamples(document) {
  const result = structuredClone(document);
  const serverUrl = result.servers?.[0]?.url;
  if (typeof serverUrl !== 'string') {
    throw new Error('The document has no `servers[0].url`; add one so the cURL samples have a URL to call.');
  }
  for (const entry of readOperations(result).operations) {
    const facts = describeOperation(result, entry);
    const operation = operationOf(result, entry);
    if (operation['x-codeSamples'] !== undefined) {
      throw new Error(`${entry.operationId} already has x-codeSamples; remove them from the spec, since the docs build generates them.`);
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
 * @param {OpenApiDocument} document
 * @param {import('../codegen-client/generate.mjs').OperationEntry} entry the client's view of the operation
 * @returns {OperationFacts}
 */
export function describeOperation(document, entry) {
  const { operationId } = entry;
  const operation = operationOf(document, entry);

  /** @type {Record<string, unknown>} */
  const pathParams = {};
  /** @type {Record<string, unknown>} */
  const queryParams = {};
  for (const parameter of mergedParameters(document, resolveRef(document, document.paths[entry.path]), operation)) {
    const example = parameterExample(document, parameter);
    if (example === undefined) {
      if (parameter.required) {
        throw new Error(
          `${operationId}: the required ${parameter.in} parameter "${parameter.name}" has no example; ` +
            'add `example` to it in the spec so the samples can show a value.',
        );
      }
      continue;
    }
    if (parameter.in === 'path') pathParams[parameter.name] = example;
    else if (parameter.in === 'query') queryParams[parameter.name] = example;
  }

  const requirement = (operation.security ?? document.security ?? [])[0] ?? {};
  return {
    operationId,
    method: entry.method,
    path: entry.path,
    pathParams,
    queryParams,
    body: requestBodyExample(document, operationId, operation.requestBody),
    authHeaders: Object.keys(requirement).map((schemeName) => authHeader(document, schemeName)),
    customerScoped: entry.customer,
    unwrapKey: successWrapperKey(document, operation),
  };
}

/**
 * @param {OpenApiDocument} document
 * @param {{ path: string, method: string }} entry
 * @returns {Record<string, any>}
 */
function operationOf(document, entry) {
  return resolveRef(document, document.paths[entry.path])[entry.method.toLowerCase()];
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
  const merchantEnv = facts.authHeaders.find((auth) => auth.header === 'Authorization')?.envVar;
  if (merchantEnv === undefined) {
    throw new Error(`${facts.operationId}: the client always sends the merchant bearer token, but this operation's security does not use it.`);
  }
  const lines = [
    `import { createConnectClient } from '${CLIENT_PACKAGE}';`,
    '',
    `const connect = createConnectClient({ token: process.env.${merchantEnv}! });`,
  ];
  let receiver = 'connect';
  if (facts.customerScoped) {
    const customerEnv = facts.authHeaders.find((auth) => auth.envVar !== merchantEnv)?.envVar;
    lines.push(`const acme = connect.forCustomer(process.env.${customerEnv}!);`);
    receiver = 'acme';
  }
  lines.push('');

  const input = { ...facts.pathParams, ...facts.queryParams, ...facts.body };
  const argument = Object.keys(input).length === 0 ? '' : toTypeScriptLiteral(input, '');
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
 * Formats a JSON value as a TypeScript expression: identifier keys unquoted, strings in single
 * quotes, one property or item per line, two-space indentation.
 *
 * @param {unknown} value
 * @param {string} indent the indentation of the line the value starts on
 * @returns {string}
 */
export function toTypeScriptLiteral(value, indent) {
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((item) => item === null || typeof item !== 'object')) {
      return `[${value.map((item) => toTypeScriptLiteral(item, inner)).join(', ')}]`;
    }
    return `[\n${value.map((item) => inner + toTypeScriptLiteral(item, inner)).join(',\n')},\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    const properties = entries.map(
      ([key, item]) => `${inner}${isIdentifier(key) ? key : quoteString(key)}: ${toTypeScriptLiteral(item, inner)}`,
    );
    return `{\n${properties.join(',\n')},\n${indent}}`;
  }
  if (typeof value === 'string') return quoteString(value);
  return JSON.stringify(value);
}

/** @param {string} value */
function quoteString(value) {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

/** @param {string} name */
function isIdentifier(name) {
  return /^[A-Za-z_$][\w$]*$/.test(name);
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
 * Path-item parameters, overridden by the operation's own ones with the same name and location.
 *
 * @param {OpenApiDocument} document
 * @param {Record<string, any>} pathItem
 * @param {Record<string, any>} operation
 * @returns {Record<string, any>[]}
 */
function mergedParameters(document, pathItem, operation) {
  const byKey = new Map();
  for (const parameter of [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])]) {
    const resolved = resolveRef(document, parameter);
    byKey.set(`${resolved.in}:${resolved.name}`, resolved);
  }
  return [...byKey.values()];
}

/**
 * @param {OpenApiDocument} document
 * @param {Record<string, any>} parameter
 * @returns {unknown}
 */
function parameterExample(document, parameter) {
  if (parameter.example !== undefined) return parameter.example;
  const named = firstNamedExample(document, parameter.examples);
  if (named !== undefined) return named;
  const schema = resolveRef(document, parameter.schema ?? {});
  if (schema.example !== undefined) return schema.example;
  return Array.isArray(schema.examples) ? schema.examples[0] : undefined;
}

/**
 * @param {OpenApiDocument} document
 * @param {Record<string, any> | undefined} examples an OpenAPI `examples` map
 */
function firstNamedExample(document, examples) {
  const first = Object.values(examples ?? {})[0];
  return first === undefined ? undefined : resolveRef(document, first).value;
}

/**
 * The JSON request-body example of an operation; the client takes body fields as properties of
 * its single argument, so the example must be an object.
 *
 * @param {OpenApiDocument} document
 * @param {string} operationId
 * @param {Record<string, any> | undefined} requestBody
 * @returns {Record<string, unknown> | undefined}
 */
function requestBodyExample(document, operationId, requestBody) {
  if (requestBody === undefined) return undefined;
  const body = resolveRef(document, requestBody);
  const media = body.content?.['application/json'];
  const example = media === undefined ? undefined : (media.example ?? firstNamedExample(document, media.examples));
  if (example === undefined) {
    if (body.required) {
      throw new Error(`${operationId}: the required JSON request body has no example; add one to the spec so the samples can show it.`);
    }
    return undefined;
  }
  if (example === null || typeof example !== 'object' || Array.isArray(example)) {
    throw new Error(`${operationId}: the request-body example is not a JSON object, so it cannot be passed as the client method's fields.`);
  }
  return example;
}

/**
 * @param {OpenApiDocument} document
 * @param {string} schemeName
 */
function authHeader(document, schemeName) {
  const scheme = resolveRef(document, document.components?.securitySchemes?.[schemeName] ?? {});
  if (scheme.type === 'http' && String(scheme.scheme).toLowerCase() === 'bearer') {
    return { scheme: schemeName, header: 'Authorization', value: `Bearer $${BEARER_ENV}`, envVar: BEARER_ENV };
  }
  if (scheme.type === 'apiKey' && scheme.in === 'header' && typeof scheme.name === 'string') {
    const envVar = HEADER_ENV[scheme.name.toLowerCase()];
    if (envVar === undefined) {
      throw new Error(`The security scheme "${schemeName}" sends the header "${scheme.name}", which has no environment variable: add one to HEADER_ENV in tools/codegen-samples.`);
    }
    return { scheme: schemeName, header: scheme.name, value: `$${envVar}`, envVar };
  }
  throw new Error(`The security scheme "${schemeName}" is neither a bearer token nor a header API key, which the samples do not know how to send.`);
}

/**
 * When every success response body is an object with exactly one property, all of them required
 * (such as `{ customer }`), that property's name; the sample then destructures it.
 *
 * @param {OpenApiDocument} document
 * @param {Record<string, any>} operation
 * @returns {string | undefined}
 */
function successWrapperKey(document, operation) {
  const keys = new Set();
  for (const [status, response] of Object.entries(operation.responses ?? {})) {
    if (!/^2\d\d$/.test(status)) continue;
    const schema = resolveRef(document, resolveRef(document, response).content?.['application/json']?.schema ?? {});
    const properties = Object.keys(schema.properties ?? {});
    const required = schema.required ?? [];
    if (schema.type !== 'object' || properties.length !== 1 || !required.includes(properties[0]) || schema.additionalProperties) {
      return undefined;
    }
    keys.add(properties[0]);
  }
  return keys.size === 1 ? [...keys][0] : undefined;
}
