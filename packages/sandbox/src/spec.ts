import { createRequire } from 'node:module';
import {
  allowedMethods,
  createValidator,
  listOperations,
  loadDocument,
  matchOperation,
  securitySchemes,
  textValue,
  type DocumentValidator,
  type OpenApiDocument,
  type OperationModel,
  type SchemaError,
} from '@reportei-connect/spec-model';

/**
 * The API as the OpenAPI document describes it, read through the shared spec model: the operations
 * (for routing, auth, and what each may answer), the security schemes and one validator.
 */
export interface ApiSpec {
  document: OpenApiDocument;
  operations: OperationModel[];
  byId: Map<string, OperationModel>;
  validator: DocumentValidator;
  /** Lower-case header name of the customer token (`x-customer-token`). */
  customerHeader: string;
  match(method: string, pathname: string): { operation: OperationModel; pathParams: Record<string, string> } | undefined;
  /** The methods of the path `pathname` fits, for a 405's `Allow`; empty when no path fits. */
  allowed(pathname: string): string[];
}

/** The bundled document of `@reportei-connect/openapi`, the package this sandbox is published with. */
function bundledDocumentPath(): string {
  return createRequire(import.meta.url).resolve('@reportei-connect/openapi/openapi.json');
}

let shared: ApiSpec | undefined;

/** The spec, read once per process (every sandbox of the process shares it). */
export function loadSpec(): ApiSpec {
  if (shared) return shared;
  const document = loadDocument(bundledDocumentPath());
  const operations = listOperations(document);
  const customer = securitySchemes(document).customer;
  if (!customer) throw new Error('The OpenAPI document has no customer token scheme.');
  shared = {
    document,
    operations,
    byId: new Map(operations.map((operation) => [operation.id, operation])),
    validator: createValidator(document),
    customerHeader: customer.header,
    match: (method, pathname) => matchOperation(operations, method, pathname),
    allowed: (pathname) => allowedMethods(operations, pathname),
  };
  return shared;
}

export { textValue };
export type { OperationModel, SchemaError };
