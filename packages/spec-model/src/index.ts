// @reportei-connect/spec-model: the one reader of the OpenAPI document's structure, for generators,
// tools, tests and servers. Never imported at run time by the packages that run in users' programs.
export { asDocument, HTTP_METHODS, isHttpMethod, loadDocument, type HttpMethod, type JsonSchema, type OpenApiDocument } from './document.js';
export { evaluateExpression, expandTemplate, ExpressionError, type ExpressionSource } from './expressions.js';
export { allowedMethods, matchOperation } from './match.js';
export {
  changesStateByDefault,
  credentialsFor,
  listOperations,
  operationEntries,
  parametersOf,
  responseFor,
  retryableByDefault,
  securityOf,
  securitySchemes,
  type Auth,
  type CallbackOperationModel,
  type Credential,
  type HeaderModel,
  type SchemaCarrier,
  type OperationEntry,
  type OperationModel,
  type ParameterModel,
  type RequestBodyModel,
  type ResponseModel,
  type SecuritySchemes,
} from './operations.js';
export { loadPayload, loadPayloads, type PayloadEntry, type PayloadIntegration } from './payloads.js';
export { followRefs, isObject, keysOf, pointerOf, RefError, resolveRef, SpecModelError, valueAt, type AnyObject, type Json, type JsonObject } from './refs.js';
export { declaredTypes, flattenAllOf, schemaAt, type LocatedSchema } from './schema.js';
export { createValidator, formatErrors, textValue, validatorOptions, type DocumentValidator, type SchemaError } from './validator.js';
