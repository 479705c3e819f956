// Compiles the JSON Schema of the metrics webhook payload (the body of the `metricsReady` callback of
// getMetricsDataAsync) into standalone validation code, so the client validates webhooks without
// shipping Ajv. The document is read through @reportei-connect/spec-model; the Ajv instance is this
// generator's own, on purpose: it compiles standalone code, which the model's validator does not.
import { CodegenError, componentSchemasReachedBy } from '@reportei-connect/codegen-core';
import { listOperations } from '@reportei-connect/spec-model';
import { Ajv2020 } from 'ajv/dist/2020.js';
// CommonJS: under NodeNext its default import is `module.exports`; the function is also its `default`.
import standalone from 'ajv/dist/standalone/index.js';

/** @typedef {import('@reportei-connect/spec-model').OpenApiDocument} OpenApiDocument */

/** OpenAPI keywords that may sit in a schema and mean nothing to JSON Schema validation. */
const OPENAPI_ANNOTATIONS = ['example', 'discriminator', 'xml', 'externalDocs'];

/** The callback whose request body is the metrics webhook. */
const CALLBACK = 'metricsReady';

/**
 * The schema of the `metricsReady` callback's request body, its `$ref` followed.
 * @param {OpenApiDocument} document
 * @returns {Record<string, any>}
 */
function webhookSchema(document) {
  for (const operation of listOperations(document)) {
    const callback = operation.callbackOperations.find((candidate) => candidate.callback === CALLBACK && candidate.requestBody);
    if (callback?.requestBody) return callback.requestBody.schema;
  }
  throw new CodegenError(`No operation has a \`${CALLBACK}\` callback with a JSON request body; the webhook validator has nothing to compile.`);
}

const ANNOTATIONS = new Set(['description', 'examples', 'example', 'title']);
/** Keywords whose value maps names (which may be spelled like annotations) to schemas. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'dependentSchemas']);

/**
 * A copy of a schema without annotation keywords (they do not affect validation).
 * @param {any} schema
 * @returns {any}
 */
function withoutAnnotations(schema) {
  if (Array.isArray(schema)) return schema.map(withoutAnnotations);
  if (!schema || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([key]) => !ANNOTATIONS.has(key))
      .map(([key, value]) => [key, SCHEMA_MAPS.has(key) ? mapValues(value, withoutAnnotations) : withoutAnnotations(value)]),
  );
}

/**
 * @param {Record<string, any>} object
 * @param {(value: any) => any} transform
 */
const mapValues = (object, transform) => Object.fromEntries(Object.entries(object).map(([key, value]) => [key, transform(value)]));

/**
 * The source of an ES module exporting `validateMetricsWebhook` (an Ajv validation function), with
 * `// @ts-nocheck` so it can sit in a TypeScript project as is.
 * @param {OpenApiDocument} document
 */
export function generateWebhookValidator(document) {
  const schema = webhookSchema(document);
  // `#/components/schemas/X` refs resolve inside this root schema because the schemas they reach are
  // copied in (only those, without annotations, to keep the generated code small).
  const root = { $id: 'metrics-webhook', ...withoutAnnotations(schema), components: { schemas: componentSchemasReachedBy(document, schema, { where: 'The webhook schema', transform: withoutAnnotations }) } };
  const ajv = new Ajv2020({ code: { source: true, esm: true, lines: true }, allErrors: false, strict: true, allowUnionTypes: true, validateFormats: false });
  ajv.addVocabulary(OPENAPI_ANNOTATIONS);
  ajv.addKeyword({ keyword: 'components' });
  ajv.compile(root);
  const code = standalone.default(ajv, { validateMetricsWebhook: root.$id });
  if (/\brequire\(/.test(code)) {
    throw new CodegenError('The compiled validator needs Ajv runtime helpers (require(...)); change the webhook schema so it compiles to self-contained code.');
  }
  return `// @ts-nocheck\n${code}\n`;
}

/** @type {import('@reportei-connect/codegen-core').Generator} */
export const generator = {
  name: '@reportei-connect/codegen-webhook-validator (Ajv standalone)',
  bin: 'connect-codegen-webhook-validator',
  output: 'the .ts file of the metrics webhook validator',
  generate: ({ document }) => generateWebhookValidator(document),
};
