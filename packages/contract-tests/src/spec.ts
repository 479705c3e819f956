import { createRequire } from 'node:module';
import {
  credentialsFor,
  listOperations as modelOperations,
  loadDocument,
  securitySchemes,
  type Credential,
  type OpenApiDocument,
  type OperationModel,
} from '@reportei-connect/spec-model';

// The suite reads the document only through @reportei-connect/spec-model: its operations, parameters,
// responses, credentials, flags, pointers and $refs are the same for the suite as for the generators
// and the sandbox.
export { flattenAllOf, pointerOf, responseFor, valueAt as at } from '@reportei-connect/spec-model';
export type { Credential, OpenApiDocument, ResponseModel } from '@reportei-connect/spec-model';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
/** A JSON Schema object from the document (booleans, allowed by 2020-12, are not used by this spec). */
export type Schema = JsonObject;

const require = createRequire(import.meta.url);

/** The bundled OpenAPI document, as `@reportei-connect/openapi` exports it. */
export function loadBundledSpec(): OpenApiDocument {
  return loadDocument(require.resolve('@reportei-connect/openapi/openapi.json'));
}

/** An operation as spec-model reads it, with the credentials its security requirement asks for. */
export interface OperationSpec extends OperationModel {
  /** One per security scheme of its requirement, from `components.securitySchemes`: header, scheme name, role. */
  credentials: Credential[];
}

/** Every operation of the document, in document order. */
export function listOperations(document: OpenApiDocument): OperationSpec[] {
  const operations = modelOperations(document);
  if (operations.length === 0) return [];
  const schemes = securitySchemes(document);
  return operations.map((operation) => ({ ...operation, credentials: credentialsFor(schemes, operation.auth) }));
}
