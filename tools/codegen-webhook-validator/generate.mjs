// Compiles the JSON Schema of the metrics webhook payload (the body of the `metricsReady` callback of
// getMetricsDataAsync) into standalone validation code, so the client validates webhooks without
// shipping Ajv.
import { Ajv2020 } from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';

/** OpenAPI keywords that may sit in a schema and mean nothing to JSON Schema validation. */
const OPENAPI_ANNOTATIONS = ['example', 'discriminator', 'xml', 'externalDocs'];

export class CodegenError extends Error {
  name = 'CodegenError';
}

/**
 * Finds the schema of the `metricsReady` callback's request body.
 * @param {Record<string, any>} document
 * @returns {{ schema: Record<string, any>, where: string }}
 */
function webhookSchema(document) {
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(item)) {
      const callback = operation?.callbacks?.metricsReady;
      if (!callback) continue;
      for (const [expression, callbackItem] of Object.entries(callback)) {
        const schema = callbackItem.post?.requestBody?.content?.['application/json']?.schema;
        if (schema) return { schema, where: `${method.toUpperCase()} ${path} callbacks.metricsReady ${expression}` };
      }
    }
  }
  throw new CodegenError('No operation has a `metricsReady` callback with a JSON request body; the webhook validator has nothing to compile.');
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
 * The component schemas a schema reaches through `#/components/schemas/...` refs, without annotations.
 * @param {Record<string, any>} document
 * @param {any} schema
 */
function reachableSchemas(document, schema) {
  /** @type {Record<string, any>} */
  const reached = {};
  const pending = [schema];
  while (pending.length) {
    const node = pending.pop();
    if (!node || typeof node !== 'object') continue;
    if (typeof node.$ref === 'string') {
      const match = /^#\/components\/schemas\/([^/]+)$/.exec(node.$ref);
      if (!match) throw new CodegenError(`The webhook schema has a $ref the validator cannot follow: "${node.$ref}".`);
      const name = match[1];
      const target = document.components?.schemas?.[name];
      if (!target) throw new CodegenError(`The webhook schema refers to a missing schema "${name}".`);
      if (!(name in reached)) {
        reached[name] = withoutAnnotations(target);
        pending.push(target);
      }
    }
    for (const value of Object.values(node)) pending.push(value);
  }
  return reached;
}

/**
 * The source of an ES module exporting `validateMetricsWebhook` (an Ajv validation function), with
 * `// @ts-nocheck` so it can sit in a TypeScript project as is.
 * @param {Record<string, any>} document
 */
export function generateWebhookValidator(document) {
  const { schema } = webhookSchema(document);
  // `#/components/schemas/X` refs resolve inside this root schema because the schemas they reach are
  // copied in (only those, without annotations, to keep the generated code small).
  const root = { $id: 'metrics-webhook', ...withoutAnnotations(schema), components: { schemas: reachableSchemas(document, schema) } };
  const ajv = new Ajv2020({ code: { source: true, esm: true, lines: true }, allErrors: false, strict: true, allowUnionTypes: true, validateFormats: false });
  ajv.addVocabulary(OPENAPI_ANNOTATIONS);
  ajv.addKeyword({ keyword: 'components' });
  const validate = ajv.compile(root);
  const code = standaloneCode(ajv, { validateMetricsWebhook: validate.schema.$id ?? 'metrics-webhook' });
  if (/\brequire\(/.test(code)) {
    throw new CodegenError('The compiled validator needs Ajv runtime helpers (require(...)); change the webhook schema so it compiles to self-contained code.');
  }
  return `// @ts-nocheck\n${code}\n`;
}
