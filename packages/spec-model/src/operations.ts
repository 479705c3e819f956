// The operations of a document, read once, the same way for every generator, tool, test and server.
import { HTTP_METHODS, type HttpMethod, type JsonSchema, type OpenApiDocument } from './document.js';
import { followRefs, isObject, pointerOf, resolveRef, SpecModelError, valueAt, type AnyObject } from './refs.js';
import { schemaAt } from './schema.js';

/** One operation as the document writes it, before the model reads it: what tools comparing raw documents need. */
export interface OperationEntry {
  method: HttpMethod;
  /** Templated, as in the document: `/customers/{uuid}`. */
  path: string;
  /** JSON pointer of the operation object: `/paths/~1customers~1{uuid}/get`. */
  pointer: string;
  /** JSON pointer of its path item (where a path item `$ref` leads). */
  pathItemPointer: string;
  operationId: string | undefined;
  /** The operation object itself. */
  operation: AnyObject;
  /** The path item holding it, its `$ref` followed. */
  pathItem: AnyObject;
  /**
   * The security requirements in force (the operation's own, else the document's): alternatives, each
   * the names of the schemes needed together. `[]` when nothing is required.
   */
  security: string[][];
}

/** A path, query, header or cookie parameter, path-level and operation-level ones merged. */
/** What parameters and response headers have in common: a schema, where it is, and examples. */
export interface SchemaCarrier {
  required: boolean;
  /** Its schema, `$ref`s followed (`{}` when it has none). */
  schema: JsonSchema;
  /** JSON pointer of that schema; undefined when there is none. */
  schemaPointer: string | undefined;
  /** JSON pointer of the parameter or header object, its `$ref`s followed. */
  pointer: string;
  description?: string;
  /** The inline `example`, when there is one. */
  example?: unknown;
  /** The values of its named `examples` (`externalValue`-only examples are left out). */
  examples: Record<string, unknown>;
}

export interface ParameterModel extends SchemaCarrier {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  /** Always true for path parameters. */
  required: boolean;
}

/** A response header. */
export type HeaderModel = SchemaCarrier;

export interface ResponseModel {
  /** As written in the document: `200`, `4XX` or `default`. */
  status: string;
  description: string;
  /** JSON pointer of the response object, its `$ref`s followed. */
  pointer: string;
  /** Every media type of its content, as written. */
  mediaTypes: string[];
  /** The schema of its JSON content (`application/json` or `+json`), when it has one. */
  schema?: JsonSchema;
  schemaPointer?: string;
  /** By name as written (`X-RateLimit-Limit`); HTTP compares header names without case. */
  headers: Record<string, HeaderModel>;
  /** The inline `example` of its JSON content, when there is one. */
  example?: unknown;
  /** The values of the named examples of its JSON content. */
  examples: Record<string, unknown>;
  /** Its links, `$ref`s followed. */
  links: Record<string, AnyObject>;
}

export interface RequestBodyModel {
  required: boolean;
  /** JSON pointer of the request body object, its `$ref`s followed. */
  pointer: string;
  mediaTypes: string[];
  /** The schema of its JSON content: the model knows JSON request bodies only. */
  schema: JsonSchema;
  schemaPointer: string;
  example?: unknown;
  examples: Record<string, unknown>;
}

/** Who must authenticate: the merchant's bearer token alone, or with a customer's token. */
export type Auth = 'merchant' | 'merchant+customer';

/** An operation of a callback: a request the API sends, such as the metrics webhook. */
export interface CallbackOperationModel {
  /** The callback's name: `metricsReady`. */
  callback: string;
  /** The runtime expression of the URL it is sent to: `{$request.body#/metrics_webhook_url}`. */
  expression: string;
  id: string | undefined;
  method: HttpMethod;
  pointer: string;
  summary?: string;
  description?: string;
  parameters: ParameterModel[];
  requestBody?: RequestBodyModel;
  responses: ResponseModel[];
}

export interface OperationModel {
  /** The operationId. */
  id: string;
  method: HttpMethod;
  /** Templated, as in the document: `/customers/{uuid}`. */
  path: string;
  /** JSON pointer of the operation: `/paths/~1customers~1{uuid}/get`. */
  pointer: string;
  pathItemPointer: string;
  tags: string[];
  summary?: string;
  description?: string;
  deprecated: boolean;
  /** From the security requirement in force: see {@link securitySchemes}. */
  auth: Auth;
  /** The security requirements as written: alternatives, each the scheme names needed together. */
  security: string[][];
  /** Path-level and operation-level parameters; the operation's win (same name and location). */
  parameters: ParameterModel[];
  requestBody?: RequestBodyModel;
  /** In document order. */
  responses: ResponseModel[];
  /**
   * Safe to send again after a failure that may have reached the server: `GET`, `PUT` and `DELETE`
   * are unless the operation says `x-idempotent: false`; other methods only with `x-idempotent: true`.
   */
  retryable: boolean;
  /**
   * Changes state on the server (creates, changes, deletes or triggers something), so is not to be
   * called against production without permission: every method but `GET`, `HEAD`, `OPTIONS` and
   * `TRACE`, unless the operation says otherwise with `x-changes-state: false` (or `true`).
   */
  changesState: boolean;
  /**
   * Refused (401) once the customer's trial is over, unless it is marked as paying: only when the
   * operation says `x-trial-gated: true`.
   */
  trialGated: boolean;
  /** Its callbacks as written, `$ref`s followed. */
  callbacks: Record<string, AnyObject>;
  /** The operations of its callbacks, read like this one. */
  callbackOperations: CallbackOperationModel[];
  /** Its `x-` fields, as written. */
  extensions: Record<string, unknown>;
}

/** The header values an operation needs, one per security scheme of its requirement. */
export interface Credential {
  role: 'merchant' | 'customer';
  /** The scheme's name in `components.securitySchemes`. */
  scheme: string;
  /** The header that carries it, lower case: `authorization`, `x-customer-token`. */
  header: string;
  /** Turns a token into the header's value (`Bearer <token>` for the merchant). */
  format(token: string): string;
}

export interface SecuritySchemes {
  /** The HTTP bearer scheme: the merchant's API token, sent as `Authorization: Bearer <token>`. */
  merchant: { name: string; scheme: 'bearer'; header: 'authorization' };
  /** The API key header scheme: a customer's token, when the document has one. */
  customer?: { name: string; header: string };
}

const RETRYABLE_METHODS: ReadonlySet<HttpMethod> = new Set(['GET', 'PUT', 'DELETE']);
const READ_ONLY_METHODS: ReadonlySet<HttpMethod> = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/**
 * Whether an operation with this method may be retried when it does not say (`x-idempotent`): `GET`,
 * `PUT` and `DELETE`, the methods safe to repeat by definition. For code that knows only the method,
 * such as a client's untyped requests.
 */
export const retryableByDefault = (method: HttpMethod): boolean => RETRYABLE_METHODS.has(method);

/** Whether an operation with this method changes state when it does not say (`x-changes-state`): all but `GET`, `HEAD`, `OPTIONS` and `TRACE`. */
export const changesStateByDefault = (method: HttpMethod): boolean => !READ_ONLY_METHODS.has(method);
const LOCATIONS: readonly string[] = ['path', 'query', 'header', 'cookie'];

const isJsonMediaType = (mediaType: string) => /^application\/(?:[\w.+-]+\+)?json$/i.test(mediaType.split(';')[0]!.trim());

const methodsOf = (pathItem: AnyObject) => Object.keys(pathItem).filter((key): key is (typeof HTTP_METHODS)[number] => (HTTP_METHODS as readonly string[]).includes(key) && isObject(pathItem[key]));

/** The security requirements in force for an operation object: see {@link OperationEntry.security}. */
export function securityOf(document: OpenApiDocument, operation: AnyObject): string[][] {
  const list: unknown = Array.isArray(operation.security) ? operation.security : document.security;
  return Array.isArray(list) ? list.map((requirement) => (isObject(requirement) ? Object.keys(requirement) : [])) : [];
}

/** Every operation under `paths`, as written, in document order (path by path, then as the path item lists its methods). */
export function operationEntries(document: OpenApiDocument): OperationEntry[] {
  const paths = isObject(document.paths) ? document.paths : {};
  return Object.keys(paths).flatMap((path) => {
    const { pointer: pathItemPointer, node: pathItem } = followRefs(document, pointerOf('paths', path));
    return methodsOf(pathItem).map((method) => {
      const operation = pathItem[method] as AnyObject;
      return {
        method: method.toUpperCase() as HttpMethod,
        path,
        pointer: `${pathItemPointer}/${method}`,
        pathItemPointer,
        operationId: typeof operation.operationId === 'string' ? operation.operationId : undefined,
        operation,
        pathItem,
        security: securityOf(document, operation),
      };
    });
  });
}

/** The inline `example` and the named `examples` (values only) of a parameter, header or media type. */
function examplesOf(document: unknown, holderPointer: string): { example?: unknown; examples: Record<string, unknown> } {
  const holder = valueAt(document, holderPointer);
  const examples: Record<string, unknown> = {};
  if (!isObject(holder)) return { examples };
  for (const name of Object.keys(isObject(holder.examples) ? holder.examples : {})) {
    const { node } = followRefs(document, `${holderPointer}/examples${pointerOf(name)}`);
    if ('value' in node) examples[name] = node.value;
  }
  return 'example' in holder ? { example: holder.example, examples } : { examples };
}

/** The media types of a `content` object and the pointer of its JSON one. */
function contentOf(document: unknown, contentPointer: string): { mediaTypes: string[]; json: string | undefined } {
  const content = valueAt(document, contentPointer);
  const mediaTypes = isObject(content) ? Object.keys(content) : [];
  const json = mediaTypes.find(isJsonMediaType);
  return { mediaTypes, json: json === undefined ? undefined : `${contentPointer}${pointerOf(json)}` };
}

/** The schema of a parameter or header: its `schema`, else that of its `content`'s first media type. */
function schemaOfHolder(document: unknown, pointer: string) {
  const own = schemaAt(document, `${pointer}/schema`);
  if (own) return own;
  const content = valueAt(document, `${pointer}/content`);
  const [first] = isObject(content) ? Object.keys(content) : [];
  return first === undefined ? undefined : schemaAt(document, `${pointer}/content${pointerOf(first, 'schema')}`);
}

const text = (value: unknown) => (typeof value === 'string' ? { description: value } : {});

/**
 * The parameters of an operation: those of its path item, then its own, the operation's replacing
 * the path item's of the same name and location (header names compared without case).
 */
export function parametersOf(document: OpenApiDocument, entry: Pick<OperationEntry, 'pointer' | 'pathItemPointer'>): ParameterModel[] {
  const byKey = new Map<string, ParameterModel>();
  for (const listPointer of [`${entry.pathItemPointer}/parameters`, `${entry.pointer}/parameters`]) {
    const list = valueAt(document, listPointer);
    if (!Array.isArray(list)) continue;
    list.forEach((_, index) => {
      const { pointer, node } = followRefs(document, `${listPointer}/${index}`);
      if (typeof node.name !== 'string' || !LOCATIONS.includes(node.in)) {
        throw new SpecModelError(`The parameter at ${pointer} needs a "name" and an "in" of ${LOCATIONS.join(', ')}.`);
      }
      const located = schemaOfHolder(document, pointer);
      const location = node.in as ParameterModel['in'];
      byKey.set(`${location}:${location === 'header' ? node.name.toLowerCase() : node.name}`, {
        name: node.name,
        in: location,
        required: location === 'path' || node.required === true,
        schema: located?.schema ?? {},
        schemaPointer: located?.pointer,
        pointer,
        ...text(node.description),
        ...examplesOf(document, pointer),
      });
    });
  }
  return [...byKey.values()];
}

function responsesOf(document: OpenApiDocument, operationPointer: string): ResponseModel[] {
  const responses = valueAt(document, `${operationPointer}/responses`);
  if (!isObject(responses)) return [];
  return Object.keys(responses).map((status) => {
    const { pointer, node } = followRefs(document, `${operationPointer}/responses${pointerOf(status)}`);
    const { mediaTypes, json } = contentOf(document, `${pointer}/content`);
    const located = json === undefined ? undefined : schemaAt(document, `${json}/schema`);
    const headers: Record<string, HeaderModel> = {};
    for (const name of Object.keys(isObject(node.headers) ? node.headers : {})) {
      const header = followRefs(document, `${pointer}/headers${pointerOf(name)}`);
      const schema = schemaOfHolder(document, header.pointer);
      headers[name] = {
        required: header.node.required === true,
        schema: schema?.schema ?? {},
        schemaPointer: schema?.pointer,
        pointer: header.pointer,
        ...text(header.node.description),
        ...examplesOf(document, header.pointer),
      };
    }
    const links = Object.fromEntries(Object.entries(isObject(node.links) ? node.links : {}).map(([name, link]) => [name, resolveRef<AnyObject>(document, link)]));
    return {
      status,
      description: typeof node.description === 'string' ? node.description : '',
      pointer,
      mediaTypes,
      ...(located && { schema: located.schema, schemaPointer: located.pointer }),
      headers,
      ...(json === undefined ? { examples: {} } : examplesOf(document, json)),
      links,
    };
  });
}

function requestBodyOf(document: OpenApiDocument, operationPointer: string, where: string): RequestBodyModel | undefined {
  if (valueAt(document, `${operationPointer}/requestBody`) === undefined) return undefined;
  const { pointer, node } = followRefs(document, `${operationPointer}/requestBody`);
  const { mediaTypes, json } = contentOf(document, `${pointer}/content`);
  if (json === undefined) throw new SpecModelError(`${where}: the request body has no JSON content (found ${mediaTypes.join(', ') || 'none'}); the model knows JSON request bodies only.`);
  const located = schemaAt(document, `${json}/schema`);
  if (!located) throw new SpecModelError(`${where}: the JSON request body has no schema.`);
  return { required: node.required === true, pointer, mediaTypes, schema: located.schema, schemaPointer: located.pointer, ...examplesOf(document, json) };
}

/** A vendor-extension flag: a boolean or absent. */
function flag(operation: AnyObject, name: string, where: string): boolean | undefined {
  const value = operation[name];
  if (value !== undefined && typeof value !== 'boolean') throw new SpecModelError(`${where}: ${name} must be true or false, found ${JSON.stringify(value)}.`);
  return value;
}

/**
 * The document's two kinds of credentials, read from `components.securitySchemes`: the one HTTP
 * bearer scheme (the merchant) and the one API key header scheme (a customer), if any.
 */
export function securitySchemes(document: OpenApiDocument): SecuritySchemes {
  const schemes = isObject(document.components) && isObject(document.components.securitySchemes) ? document.components.securitySchemes : {};
  const resolved = Object.entries(schemes).map(([name, scheme]) => ({ name, scheme: resolveRef<AnyObject>(document, scheme) }));
  const bearer = resolved.filter(({ scheme }) => scheme?.type === 'http' && String(scheme.scheme).toLowerCase() === 'bearer');
  const apiKey = resolved.filter(({ scheme }) => scheme?.type === 'apiKey' && scheme.in === 'header' && typeof scheme.name === 'string');
  if (bearer.length !== 1) throw new SpecModelError(`components.securitySchemes must have exactly one HTTP bearer scheme (the merchant token), found ${bearer.length}.`);
  if (apiKey.length > 1) throw new SpecModelError(`components.securitySchemes may have one API key header scheme (the customer token), found ${apiKey.length}: ${apiKey.map(({ name }) => name).join(', ')}.`);
  const [customer] = apiKey;
  return {
    merchant: { name: bearer[0]!.name, scheme: 'bearer', header: 'authorization' },
    ...(customer && { customer: { name: customer.name, header: String(customer.scheme.name).toLowerCase() } }),
  };
}

function authOf(security: string[][], schemes: SecuritySchemes, where: string): Auth {
  const known = `the model knows two: ${schemes.merchant.name} alone, or ${schemes.merchant.name} and ${schemes.customer?.name ?? '(a customer API key scheme)'} together`;
  if (security.length !== 1) {
    throw new SpecModelError(`${where}: ${security.length === 0 ? 'has no security requirement' : `has ${security.length} alternative security requirements`}; ${known}.`);
  }
  const names = new Set(security[0]);
  if (names.size === 1 && names.has(schemes.merchant.name)) return 'merchant';
  if (schemes.customer && names.size === 2 && names.has(schemes.merchant.name) && names.has(schemes.customer.name)) return 'merchant+customer';
  throw new SpecModelError(`${where}: requires ${[...names].join(' + ') || 'nothing'}; ${known}.`);
}

/** The headers that carry an operation's credentials, merchant first. */
export function credentialsFor(schemes: SecuritySchemes, auth: Auth): Credential[] {
  const merchant: Credential = { role: 'merchant', scheme: schemes.merchant.name, header: 'authorization', format: (token) => `Bearer ${token}` };
  if (auth === 'merchant') return [merchant];
  if (!schemes.customer) throw new SpecModelError('The document has no customer token scheme.');
  return [merchant, { role: 'customer', scheme: schemes.customer.name, header: schemes.customer.header, format: (token) => token }];
}

function callbackOperationsOf(document: OpenApiDocument, operationPointer: string): { callbacks: Record<string, AnyObject>; callbackOperations: CallbackOperationModel[] } {
  const raw = valueAt(document, `${operationPointer}/callbacks`);
  const callbacks: Record<string, AnyObject> = {};
  const callbackOperations: CallbackOperationModel[] = [];
  for (const callback of Object.keys(isObject(raw) ? raw : {})) {
    const { pointer: callbackPointer, node } = followRefs(document, `${operationPointer}/callbacks${pointerOf(callback)}`);
    callbacks[callback] = node;
    for (const expression of Object.keys(node)) {
      const { pointer: pathItemPointer, node: pathItem } = followRefs(document, `${callbackPointer}${pointerOf(expression)}`);
      for (const method of methodsOf(pathItem)) {
        const operation = pathItem[method] as AnyObject;
        const pointer = `${pathItemPointer}/${method}`;
        const where = `callback ${callback} ${method.toUpperCase()} ${expression}`;
        const requestBody = requestBodyOf(document, pointer, where);
        callbackOperations.push({
          callback,
          expression,
          id: typeof operation.operationId === 'string' ? operation.operationId : undefined,
          method: method.toUpperCase() as HttpMethod,
          pointer,
          ...(typeof operation.summary === 'string' && { summary: operation.summary }),
          ...text(operation.description),
          parameters: parametersOf(document, { pointer, pathItemPointer }),
          ...(requestBody && { requestBody }),
          responses: responsesOf(document, pointer),
        });
      }
    }
  }
  return { callbacks, callbackOperations };
}

/**
 * Every operation under `paths`, in document order, read into the model. Fails with a
 * {@link SpecModelError} naming the operation when the document breaks the model's rules: an
 * operationId on every operation, unique; a security requirement the model knows ({@link Auth});
 * JSON request bodies; boolean `x-idempotent`, `x-changes-state` and `x-trial-gated`.
 */
export function listOperations(document: OpenApiDocument): OperationModel[] {
  let schemes: SecuritySchemes | undefined;
  const seen = new Map<string, string>();
  return operationEntries(document).map((entry) => {
    const { operation, method, path, pointer } = entry;
    const where = `${entry.operationId ?? 'An operation'} (${method} ${path})`;
    if (entry.operationId === undefined) throw new SpecModelError(`${where} has no operationId.`);
    const id = entry.operationId;
    if (seen.has(id)) throw new SpecModelError(`${where}: the operationId is also that of ${seen.get(id)}.`);
    seen.set(id, `${method} ${path}`);
    schemes ??= securitySchemes(document);
    const idempotent = flag(operation, 'x-idempotent', where);
    const changesState = flag(operation, 'x-changes-state', where);
    const trialGated = flag(operation, 'x-trial-gated', where) ?? false;
    const requestBody = requestBodyOf(document, pointer, where);
    return {
      id,
      method,
      path,
      pointer,
      pathItemPointer: entry.pathItemPointer,
      tags: Array.isArray(operation.tags) ? operation.tags.map(String) : [],
      ...(typeof operation.summary === 'string' && { summary: operation.summary }),
      ...text(operation.description),
      deprecated: operation.deprecated === true,
      auth: authOf(entry.security, schemes, where),
      security: entry.security,
      parameters: parametersOf(document, entry),
      ...(requestBody && { requestBody }),
      responses: responsesOf(document, pointer),
      retryable: idempotent ?? retryableByDefault(method),
      changesState: changesState ?? changesStateByDefault(method),
      trialGated,
      ...callbackOperationsOf(document, pointer),
      extensions: Object.fromEntries(Object.entries(operation).filter(([key]) => key.startsWith('x-'))),
    };
  });
}

/**
 * The response an operation documents for a status: the exact code first, then its range (`4XX`),
 * then `default`; undefined when none applies.
 */
export function responseFor(operation: Pick<OperationModel, 'responses'>, status: number | string): ResponseModel | undefined {
  const code = String(status);
  const find = (key: string) => operation.responses.find((response) => response.status.toUpperCase() === key);
  return find(code) ?? find(`${code[0]}XX`) ?? find('DEFAULT');
}
