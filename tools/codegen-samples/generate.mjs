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
 * A value a sample does not write out but takes from elsewhere: one of the variables the sandbox
 * prints, or a field of an earlier call's response in the same sample (an OpenAPI link).
 *
 * @typedef {{ env: string } | { step: number, pointer: string }} Reference
 */

/**
 * @typedef {object} Step
 * An earlier call a sample makes because a link of its response provides one of the operation's
 * fields (createCustomer for the `uuid` of getCustomer).
 * @property {OperationFacts} facts
 * @property {string[]} fields  the fields of the sample's operation its response gives
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
 * @property {Map<string, Reference>} references  by field name: the fields not taken from the spec's examples
 * @property {Step[]} steps             the earlier calls the references of kind `step` point into
 */

/**
 * The environment variables the samples read the tokens from, the names used everywhere in the
 * repository (READMEs, guides, examples; the docs tests check it): the merchant token is
 * `REPORTEI_CONNECT_TOKEN`, the variable `createConnectClient()` itself reads.
 */
const ENV = { merchant: 'REPORTEI_CONNECT_TOKEN', customer: 'REPORTEI_CONNECT_CUSTOMER_TOKEN' };
/** How the cURL samples spell each credential's header. */
const HEADER_NAMES = { merchant: 'Authorization', customer: undefined };
/**
 * The ids `pnpm sandbox` prints, by what they identify: a field that holds one (the body field
 * `customer_integration`, or the `{uuid}` after `/customer-integrations/`) is read from its variable,
 * so that with the sandbox's lines loaded the sample names something that exists.
 */
const ID_VARIABLES = new Map([['customer_integration', 'REPORTEI_CONNECT_CUSTOMER_INTEGRATION']]);
/** Where every sample sends its request unless REPORTEI_CONNECT_BASE_URL says otherwise: a sample is
 * for trying things, so it reaches production only when the user names it. */
export const SANDBOX_URL = 'http://127.0.0.1:4011/api';
const BASE_URL_ENV = 'REPORTEI_CONNECT_BASE_URL';

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
  const servers = valueAt(result, '/servers');
  if (!Array.isArray(servers) || !servers.some((server) => server?.url === SANDBOX_URL)) {
    throw new CodegenError(`The document's \`servers\` do not list the sandbox, ${SANDBOX_URL}, where the samples send their requests; add it.`);
  }
  const schemes = securitySchemes(result);
  const { operations } = clientOperations(result);
  const linked = linksByTarget(operations);
  for (const entry of operations) {
    const facts = describeOperation(entry, schemes, linked);
    const operation = valueAt(result, entry.model.pointer);
    if (operation['x-codeSamples'] !== undefined) {
      throw new CodegenError(`${entry.id} already has x-codeSamples; remove them from the spec, since the docs build generates them.`);
    }
    operation['x-codeSamples'] = [
      { lang: 'curl', label: 'cURL', source: curlSample(facts) },
      { lang: 'typescript', label: 'TypeScript', source: typeScriptSample(facts) },
    ];
  }
  return result;
}

/**
 * @typedef {object} Link
 * @property {ClientOperation} source  the operation whose success response has the link
 * @property {string} pointer          where in that response's body the value is
 */

/**
 * Every link of a success response, by the operation it leads to and the field it fills.
 *
 * @param {ClientOperation[]} operations
 * @returns {Map<string, Map<string, Link>>}
 */
function linksByTarget(operations) {
  /** @type {Map<string, Map<string, Link>>} */
  const byTarget = new Map();
  for (const source of operations) {
    for (const response of source.model.responses) {
      if (!/^2\d\d$/.test(response.status)) continue;
      for (const [name, link] of Object.entries(response.links)) {
        const target = typeof link.operationId === 'string' ? link.operationId : undefined;
        if (target === undefined) throw new CodegenError(`${source.id}: the link ${name} has no operationId; the samples follow links by operationId only.`);
        for (const [field, expression] of Object.entries(link.parameters ?? {})) {
          const pointer = typeof expression === 'string' ? /^\$response\.body#(\/.*)$/.exec(expression)?.[1] : undefined;
          if (pointer === undefined) {
            throw new CodegenError(`${source.id}: the link ${name} gives ${target}'s "${field}" as ${JSON.stringify(expression)}; the samples follow $response.body#/... expressions only.`);
          }
          const fields = byTarget.get(target) ?? new Map();
          if (!fields.has(field)) fields.set(field, { source, pointer });
          byTarget.set(target, fields);
        }
      }
    }
  }
  return byTarget;
}

/**
 * Gathers from the spec everything the samples of one operation show.
 *
 * @param {ClientOperation} entry the client's view of the operation
 * @param {SecuritySchemes} schemes
 * @param {Map<string, Map<string, Link>>} [linked] the links into each operation; without them, every
 *   field that is no sandbox id shows the spec's example
 * @returns {OperationFacts}
 */
export function describeOperation(entry, schemes, linked = new Map()) {
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
  const body = requestBodyExample(model);

  /** @type {Map<string, Reference>} */
  const references = new Map();
  /** @type {Step[]} */
  const steps = [];
  const fields = [
    ...Object.keys(pathParams).map((name) => ({ name, identifies: pathResource(entry.path, name) })),
    ...[...Object.keys(queryParams), ...Object.keys(body ?? {})].map((name) => ({ name, identifies: name })),
  ];
  for (const { name, identifies } of fields) {
    const env = ID_VARIABLES.get(identifies);
    const link = linked.get(operationId)?.get(name);
    if (env !== undefined) references.set(name, { env });
    else if (link !== undefined) {
      let step = steps.findIndex((candidate) => candidate.facts.operationId === link.source.id);
      if (step === -1) {
        // The earlier call shows its own examples and sandbox ids; it follows no links of its own.
        steps.push({ facts: describeOperation(link.source, schemes), fields: [] });
        step = steps.length - 1;
      }
      steps[step]?.fields.push(name);
      references.set(name, { step, pointer: link.pointer });
    }
  }

  return {
    operationId,
    method: entry.method,
    path: entry.path,
    pathParams,
    queryParams,
    body,
    authHeaders: credentialsFor(schemes, model.auth).map(({ role, header, format }) => ({
      role,
      header: HEADER_NAMES[role] ?? header,
      value: format(`$${ENV[role]}`),
      envVar: ENV[role],
    })),
    customerScoped: entry.requiresCustomerToken,
    unwrapKey: successWrapperKey(model),
    references,
    steps,
  };
}

/**
 * What a path parameter identifies: the collection before it, singular, in snake case
 * (`/customer-integrations/{uuid}` gives `customer_integration`).
 *
 * @param {string} path
 * @param {string} name
 */
function pathResource(path, name) {
  const segments = path.split('/');
  const collection = segments[segments.indexOf(`{${name}}`) - 1] ?? '';
  return collection.replace(/-/g, '_').replace(/s$/, '');
}

/** A shell variable per earlier step: `uuid`, `session_id`; the field's own name reads best. @param {string} field */
const shellVariable = (field) => field.replace(/[^A-Za-z0-9_]/g, '_');

/** A `jq` filter for a JSON pointer: `/customer/uuid` gives `.customer.uuid`. @param {string} pointer */
const jqPath = (pointer) =>
  pointer
    .split('/')
    .slice(1)
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((key) => (/^[A-Za-z_]\w*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`))
    .join('');

/** A property access for a JSON pointer: `/customer/uuid` gives `.customer.uuid`. @param {string} pointer */
const propertyPath = (pointer) =>
  pointer
    .split('/')
    .slice(1)
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((key) => (isIdentifier(key) ? `.${key}` : `[${literal(key)}]`))
    .join('');

/** Names for the results of the earlier calls, in order. */
const STEP_NAMES = ['first', 'second', 'third'];

/** @param {OperationFacts} facts @param {number} step */
function stepName(facts, step) {
  const name = STEP_NAMES[step];
  if (name === undefined) throw new CodegenError(`${facts.operationId}: links from more than ${STEP_NAMES.length} operations feed it; the samples show at most that many earlier calls.`);
  return name;
}

/**
 * Puts each reference into a rendered value through a marker: `render` writes the value with the
 * markers as strings, and `replace` turns each quoted marker into the expression for its reference.
 *
 * @param {Record<string, unknown>} values
 * @param {Map<string, Reference>} references
 * @param {(value: Record<string, unknown>) => string} render
 * @param {(reference: Reference, field: string) => string} expression  what a quoted marker becomes
 * @param {(marker: string) => string} quoted  how `render` writes a marker
 */
function renderWithReferences(values, references, render, expression, quoted) {
  /** @type {Record<string, unknown>} */
  const marked = {};
  for (const [field, value] of Object.entries(values)) marked[field] = references.has(field) ? `@@sample-reference:${field}@@` : value;
  let text = render(marked);
  for (const [field, reference] of references) {
    if (field in values) text = text.replace(quoted(`@@sample-reference:${field}@@`), () => expression(reference, field));
  }
  return text;
}

/**
 * A cURL command line for the operation, reading the tokens, the sandbox's ids and the base URL from
 * environment variables; an earlier call's value is kept in a shell variable read with jq.
 *
 * @param {OperationFacts} facts
 */
export function curlSample(facts) {
  const lines = [];
  for (const [step, earlier] of facts.steps.entries()) {
    const taken = [...facts.references].filter(([, reference]) => 'step' in reference && reference.step === step);
    lines.push(stepComment('#', earlier));
    for (const [field, reference] of taken) {
      lines.push(`${shellVariable(field)}=$(${curlCommand(earlier.facts, ['-fsS']).replace(/\n$/, '')} | jq -r ${shellQuote(jqPath(/** @type {{ pointer: string }} */ (reference).pointer))})`);
    }
  }
  lines.push(curlCommand(facts, []));
  return lines.join('\n').replace(/\n*$/, '\n');
}

/**
 * @param {OperationFacts} facts
 * @param {string[]} flags
 */
function curlCommand(facts, flags) {
  /** @param {Reference} reference @param {string} field */
  const shellValue = (reference, field) => ('env' in reference ? `\${${reference.env}}` : `\${${shellVariable(field)}}`);
  const path = facts.path.replace(/\{([^}]+)\}/g, (_, name) => {
    const reference = facts.references.get(name);
    return reference ? shellValue(reference, name) : encodeURIComponent(String(facts.pathParams[name]));
  });
  const query = Object.entries(facts.queryParams)
    .map(([name, value]) => {
      const reference = facts.references.get(name);
      return `${encodeURIComponent(name)}=${reference ? shellValue(reference, name) : encodeURIComponent(String(value))}`;
    })
    .join('&');
  // Double quotes, so the shell expands the variables; the rest is percent-encoded, holding no `"`, `$`, `` ` `` or `\`.
  const url = `"\${${BASE_URL_ENV}:-${SANDBOX_URL}}${path}${query && `?${query}`}"`;
  const lines = [`curl ${[...flags, ...(facts.method === 'GET' ? [] : ['-X', facts.method]), url].join(' ')}`];
  for (const { header, value } of facts.authHeaders) {
    // Double quotes so the shell expands the token variable.
    lines.push(`-H "${header}: ${value}"`);
  }
  if (facts.body !== undefined) {
    lines.push(`-H 'Content-Type: application/json'`);
    // The JSON in single quotes; a value from a variable closes them around a double-quoted expansion.
    // Indented one level more than the flags, so the JSON reads as part of the command.
    const json = renderWithReferences(
      facts.body,
      facts.references,
      (value) => shellQuote(JSON.stringify(value, null, 2)),
      (reference, field) => `"'"${shellValue(reference, field)}"'"`,
      (marker) => JSON.stringify(marker),
    );
    lines.push(`-d ${json.replace(/\n/g, '\n  ')}`);
  }
  return lines.join(' \\\n  ') + '\n';
}

/** `// uuid from createCustomer's response`. @param {string} prefix @param {Step} step */
const stepComment = (prefix, step) => `${prefix} ${step.fields.join(' and ')} from ${step.facts.operationId}'s response`;

/**
 * A TypeScript program calling the operation through @reportei-connect/client.
 *
 * @param {OperationFacts} facts
 */
export function typeScriptSample(facts) {
  const merchantEnv = facts.authHeaders.find((auth) => auth.role === 'merchant')?.envVar;
  if (merchantEnv !== ENV.merchant) {
    throw new CodegenError(`${facts.operationId}: the client always sends the merchant bearer token, but this operation's security does not use it.`);
  }
  const customerScoped = facts.customerScoped || facts.steps.some((step) => step.facts.customerScoped);
  const lines = [
    `import { createConnectClient } from '${CLIENT_PACKAGE}';`,
    '',
    `// Reads ${ENV.merchant}; sends to the sandbox unless ${BASE_URL_ENV} is set.`,
    `const connect = createConnectClient({ baseUrl: process.env.${BASE_URL_ENV} ?? '${SANDBOX_URL}' });`,
  ];
  if (customerScoped) lines.push(`const acme = connect.forCustomer(process.env.${ENV.customer}!);`);
  lines.push('');

  for (const [step, earlier] of facts.steps.entries()) {
    lines.push(stepComment('//', earlier), `const ${stepName(facts, step)} = ${callExpression(earlier.facts, facts)};`);
  }
  const call = callExpression(facts, facts);
  const unwrapKey = facts.unwrapKey;
  if (unwrapKey !== undefined && isIdentifier(unwrapKey) && !['connect', 'acme', ...STEP_NAMES].includes(unwrapKey)) {
    lines.push(`const { ${unwrapKey} } = ${call};`, `console.log(${unwrapKey});`);
  } else {
    lines.push(`const response = ${call};`, 'console.log(response);');
  }
  return lines.join('\n') + '\n';
}

/**
 * `await connect.getCustomer({ ... })`, its references written as expressions.
 *
 * @param {OperationFacts} facts  the operation called
 * @param {OperationFacts} sample the operation the sample is for, whose steps the references name
 */
function callExpression(facts, sample) {
  const receiver = facts.customerScoped ? 'acme' : 'connect';
  const input = { ...facts.pathParams, ...facts.queryParams, ...facts.body };
  const argument =
    Object.keys(input).length === 0
      ? ''
      : renderWithReferences(
          input,
          facts.references,
          (value) => literal(value, ''),
          (reference) => ('env' in reference ? `process.env.${reference.env}!` : `${stepName(sample, reference.step)}${propertyPath(reference.pointer)}`),
          (marker) => literal(marker),
        );
  return `await ${receiver}.${facts.operationId}(${argument})`;
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
