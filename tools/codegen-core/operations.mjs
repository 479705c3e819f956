// What more than one generator reads of an operation beyond spec-model's model: whether it answers
// pages, which body field takes catalogue metric requests, and the component schemas a schema reaches
// (for output that must carry its schemas with it).
import { declaredTypes, flattenAllOf, isObject, resolveRef } from '@reportei-connect/spec-model';
import { CodegenError } from './error.mjs';

/**
 * @typedef {import('@reportei-connect/spec-model').OpenApiDocument} OpenApiDocument
 * @typedef {import('@reportei-connect/spec-model').OperationModel} OperationModel
 */

/**
 * The schema of the metric requests the metrics catalogue (@reportei-connect/metrics) makes: a body
 * field that is a list of them can be filled from the catalogue by reference key.
 */
const METRIC_REQUEST = '#/components/schemas/MetricRequest';

/**
 * Whether the operation answers pages that the client's `paginate` follows: it takes a `page` query
 * parameter and its success is `{ data: [...], meta: { last_page } }`.
 * @param {OpenApiDocument} document
 * @param {OperationModel} model
 */
export function paginatesPages(document, model) {
  if (!model.parameters.some((parameter) => parameter.in === 'query' && parameter.name === 'page')) return false;
  const success = model.responses.find((response) => /^2\d\d$/.test(response.status) && response.schema);
  const schema = success && flattenAllOf(document, success.schema);
  const properties = schema && isObject(schema.properties) ? schema.properties : {};
  const meta = flattenAllOf(document, properties.meta);
  return declaredTypes(flattenAllOf(document, properties.data))?.includes('array') === true && isObject(meta.properties) && 'last_page' in meta.properties;
}

/**
 * The body field that is a list of catalogue metric requests, if any.
 * @param {OpenApiDocument} document
 * @param {OperationModel} model
 */
export function metricRequestsField(document, model) {
  if (!model.requestBody) return undefined;
  const body = flattenAllOf(document, model.requestBody.schema);
  const properties = isObject(body.properties) ? body.properties : {};
  return Object.keys(properties).find((field) => {
    const schema = resolveRef(document, properties[field]);
    return isObject(schema) && isObject(schema.items) && schema.items.$ref === METRIC_REQUEST;
  });
}

/**
 * The component schemas `schema` reaches through `#/components/schemas/<name>` refs, transitively, by
 * name, each passed through `transform` (which sees the schema as the document writes it).
 * @param {OpenApiDocument} document
 * @param {unknown} schema
 * @param {object} how
 * @param {string} how.where names the schema in error messages
 * @param {(schema: any) => any} [how.transform] default: the schema as it is
 * @returns {Record<string, any>}
 */
export function componentSchemasReachedBy(document, schema, { where, transform = (value) => value }) {
  /** @type {Record<string, any>} */
  const reached = {};
  /** @type {unknown[]} */
  const pending = [schema];
  while (pending.length) {
    const node = pending.pop();
    if (Array.isArray(node)) pending.push(...node);
    if (!isObject(node)) continue;
    const ref = node.$ref;
    if (typeof ref === 'string') {
      const match = /^#\/components\/schemas\/([^/]+)$/.exec(ref);
      if (!match) throw new CodegenError(`${where} has a $ref that leads outside components.schemas: "${ref}"; refer to a named schema instead.`);
      const name = String(match[1]);
      const components = isObject(document.components) ? document.components : {};
      const target = isObject(components.schemas) ? components.schemas[name] : undefined;
      if (target === undefined) throw new CodegenError(`${where} refers to a missing schema "${name}".`);
      if (!(name in reached)) {
        reached[name] = transform(target);
        pending.push(target);
      }
    }
    pending.push(...Object.values(node));
  }
  return reached;
}
