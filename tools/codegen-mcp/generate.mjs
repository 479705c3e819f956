// Turns an OpenAPI 3.1 document into the tool table of @reportei-connect/mcp: one MCP tool per
// operation, named after its operationId, described by its summary and description, with an input JSON
// Schema made of its path, query and body fields in one object (the shape the client's methods take,
// codegen-client's `clientOperations`) and annotations from the spec's flags. A customer-scoped tool
// takes the customer's uuid instead of its token: the server holds the tokens, never the model.
import { clientOperations } from '@reportei-connect/codegen-client';
import { CodegenError, componentSchemasReachedBy, literal, metricRequestsField, paginatesPages, quote } from '@reportei-connect/codegen-core';
import { flattenAllOf, isObject } from '@reportei-connect/spec-model';

/**
 * @typedef {import('@reportei-connect/spec-model').OpenApiDocument} OpenApiDocument
 * @typedef {import('@reportei-connect/codegen-client').ClientOperation} ClientOperation
 *
 * @typedef {object} OperationTool
 * @property {string} name the operationId, which is also the client's method
 * @property {string} title the summary
 * @property {string} description
 * @property {Record<string, any>} inputSchema a JSON Schema 2020-12 object schema, self-contained
 * @property {{ title: string, readOnlyHint: boolean, destructiveHint: boolean, idempotentHint: boolean, openWorldHint: boolean }} annotations
 * @property {boolean} customerScoped it acts as a customer: its input names one by `customer_uuid`
 * @property {boolean} paginated it answers one page, `{ data, meta }`
 * @property {string} [metricsField] the body field that also takes catalogue reference keys
 */

/** The input field that names the customer a customer-scoped tool acts as, in place of its token. */
export const CUSTOMER_FIELD = 'customer_uuid';

/** Keywords whose value maps names to schemas: the names are not keywords. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'dependentSchemas']);
/** Keywords whose value is data, not schemas. */
const DATA = new Set(['enum', 'const', 'default', 'examples']);

/**
 * A schema of the document as a tool's input schema wants it: `#/components/schemas/<name>` refs lead
 * to `#/$defs/<name>` of the tool's own schema, and OpenAPI's `example` (no JSON Schema keyword, which
 * a strict validator refuses) is left out.
 * @param {unknown} schema
 * @returns {any}
 */
function toolSchema(schema) {
  if (Array.isArray(schema)) return schema.map(toolSchema);
  if (!isObject(schema)) return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([key]) => key !== 'example')
      .map(([key, value]) => {
        if (key === '$ref' && typeof value === 'string') return [key, value.replace(/^#\/components\/schemas\//, '#/$defs/')];
        if (SCHEMA_MAPS.has(key) && isObject(value)) return [key, Object.fromEntries(Object.entries(value).map(([name, each]) => [name, toolSchema(each)]))];
        return [key, DATA.has(key) ? value : toolSchema(value)];
      }),
  );
}

/** Text on one line. @param {unknown} text */
const oneLine = (text) => (typeof text === 'string' ? text.replace(/\s+/g, ' ').trim() : '');

/**
 * The input schema of an operation's tool: its path and query parameters, its body's properties and,
 * when it acts as a customer, `customer_uuid`; the component schemas they use under `$defs`.
 * @param {OpenApiDocument} document
 * @param {ClientOperation} operation
 * @param {string | undefined} metricsField
 * @param {string} where for error messages
 */
function inputSchemaOf(document, operation, metricsField, where) {
  /** @type {Record<string, any>} */
  const properties = {};
  /** @type {string[]} */
  const required = [];
  if (operation.requiresCustomerToken) {
    properties[CUSTOMER_FIELD] = { type: 'string', format: 'uuid', description: 'The uuid of the customer to act as (listCustomers and createCustomer give it). The server holds its token: never ask for one.' };
    required.push(CUSTOMER_FIELD);
  }
  for (const parameter of operation.model.parameters) {
    if (parameter.name === CUSTOMER_FIELD) throw new CodegenError(`${where}: parameter "${CUSTOMER_FIELD}" is the field a customer-scoped tool names its customer with; rename the parameter.`);
    const description = parameter.description?.trim() || parameter.schema.description;
    properties[parameter.name] = { ...parameter.schema, ...(description && { description }) };
    if (parameter.required) required.push(parameter.name);
  }
  if (operation.model.requestBody) {
    const body = flattenAllOf(document, operation.model.requestBody.schema);
    const bodyProperties = isObject(body.properties) ? body.properties : {};
    for (const field of operation.bodyFields ?? []) {
      if (field === CUSTOMER_FIELD) throw new CodegenError(`${where}: body field "${CUSTOMER_FIELD}" is the field a customer-scoped tool names its customer with; rename the field.`);
      properties[field] = bodyProperties[field];
    }
    if (operation.model.requestBody.required && Array.isArray(body.required)) required.push(...body.required.filter((field) => typeof field === 'string'));
  }
  if (metricsField) {
    const metrics = flattenAllOf(document, properties[metricsField]);
    properties[metricsField] = {
      ...metrics,
      description: `${oneLine(metrics.description) || 'The metrics to read.'} Each is a reference key of the metrics catalogue, such as "ig:reach" (searchMetrics finds them: the server fills in the rest, and the result is keyed by the key), or a whole metric request.`,
      items: { anyOf: [{ type: 'string', minLength: 1, description: 'A reference key of the metrics catalogue, such as "ig:reach".' }, metrics.items] },
    };
  }
  const $defs = componentSchemasReachedBy(document, properties, { where: `${where}: its input` });
  return toolSchema({
    type: 'object',
    properties,
    ...(required.length > 0 && { required: [...new Set(required)] }),
    ...(Object.keys($defs).length > 0 && { $defs }),
  });
}

/**
 * A tool's description: the operation's summary and description, then what the server does for it.
 * @param {ClientOperation} operation
 * @param {boolean} paginated
 * @param {string | undefined} metricsField
 */
function descriptionOf(operation, paginated, metricsField) {
  const { summary, description } = operation.model;
  const notes = [
    operation.requiresCustomerToken && `Acts as a customer: give its ${CUSTOMER_FIELD}; the server holds the customer's token.`,
    paginated && 'Answers one page (page, per_page) with its pagination meta: ask for the next page rather than a larger one.',
    metricsField && `${metricsField} may be catalogue reference keys alone (searchMetrics finds them).`,
  ].filter(Boolean);
  return [oneLine(summary), description?.trim(), notes.join(' ')].filter(Boolean).join('\n\n');
}

/**
 * The tools of a document, one per operation, in document order.
 * @param {OpenApiDocument} document
 * @returns {OperationTool[]}
 */
export function mcpTools(document) {
  return clientOperations(document).operations.map((operation) => {
    const { id, method, path, model } = operation;
    const where = `${id} (${method} ${path})`;
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new CodegenError(`${where}: an MCP tool name is 1 to 64 letters, digits, _ or -; rename the operation.`);
    const paginated = paginatesPages(document, model);
    const metricsField = metricRequestsField(document, model);
    const title = oneLine(model.summary) || `${method} ${path}`;
    return {
      name: id,
      title,
      description: descriptionOf(operation, paginated, metricsField),
      inputSchema: inputSchemaOf(document, operation, metricsField, where),
      annotations: { title, readOnlyHint: !model.changesState, destructiveHint: method === 'DELETE', idempotentHint: model.retryable, openWorldHint: true },
      customerScoped: operation.requiresCustomerToken,
      paginated,
      ...(metricsField && { metricsField }),
    };
  });
}

/**
 * The TypeScript source of the server's `src/generated/tools.ts` (without its first, "generated" line).
 * @param {OperationTool[]} tools
 */
export function generateTools(tools) {
  return `import type { OperationTool } from '../tool-table.js';

/** The input field that names the customer a customer-scoped tool acts as, in place of its token. */
export const customerField = ${quote(CUSTOMER_FIELD)};

/** Every operation of the spec as an MCP tool, in document order. */
export const operationTools: readonly OperationTool[] = ${literal(tools, '')};
`;
}

/** @type {import('@reportei-connect/codegen-core').Generator} */
export const generator = {
  name: '@reportei-connect/codegen-mcp',
  bin: 'connect-codegen-mcp',
  output: "the directory of the MCP server's tool table (tools.ts)",
  generate: ({ document }) => ({ 'tools.ts': generateTools(mcpTools(document)) }),
};
