// Generates the TypeScript types of the API (`paths`, `components`, `operations`, `webhooks`) with
// openapi-typescript, for @reportei-connect/types.
import openapiTS, { astToString } from 'openapi-typescript';

/** @typedef {import('@reportei-connect/spec-model').OpenApiDocument} OpenApiDocument */

/**
 * The types module of a bundled document.
 * @param {OpenApiDocument} document
 */
export async function generateTypes(document) {
  // emptyObjectsUnknown: a bare `type: object` (such as MetricRequest.custom) means "any object", not `Record<string, never>`.
  const ast = await openapiTS(/** @type {import('openapi-typescript').OpenAPI3} */ (/** @type {unknown} */ (document)), { silent: true, emptyObjectsUnknown: true });
  return astToString(ast);
}

/** @type {import('@reportei-connect/codegen-core').Generator} */
export const generator = {
  name: '@reportei-connect/codegen-types (openapi-typescript)',
  bin: 'connect-codegen-types',
  output: 'the .ts file of the types',
  generate: ({ document }) => generateTypes(document),
};
