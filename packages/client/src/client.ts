import type { paths } from '@reportei-connect/types';
import createClient, { createFinalURL, createQuerySerializer, defaultPathSerializer, mergeHeaders } from 'openapi-fetch';
import { checkMaxBytes, DEFAULT_MAX_RESPONSE_BYTES } from './body.js';
import { errorFromResponse } from './errors.js';
import { createEmit, type ConnectEvent, type Logger } from './events.js';
import { customerTokenHeader, operationTable, retryableMethods } from './generated/operations.js';
import { createPacer, type RateLimitOptions } from './pacing.js';
import { type CallOptions, checkTimeout, DEFAULT_RETRY, resolveRetry, type RetryOptions, send, type Settings, type Target } from './transport.js';
import type { ConnectClient } from './types.js';

export interface ConnectClientOptions {
  /**
   * The merchant's API token, sent as `Authorization: Bearer <token>`. Default: the
   * `REPORTEI_CONNECT_TOKEN` environment variable, where there is a `process.env`.
   */
  token?: string | undefined;
  /**
   * Default: the `REPORTEI_CONNECT_BASE_URL` environment variable, where there is a `process.env`,
   * else `https://connect.reportei.com/api`. No query or fragment.
   */
  baseUrl?: string | URL | undefined;
  /** A fetch implementation to use instead of the global one. */
  fetch?: typeof fetch | undefined;
  /** Each attempt is aborted after this many milliseconds (an integer). Default 30000. */
  timeoutMs?: number | undefined;
  /** Retries of failed safe calls, or `false` for none. Default `{ retries: 2, minDelayMs: 500, maxDelayMs: 8000 }`. */
  retry?: RetryOptions | false | undefined;
  /** Sent with every request. */
  headers?: Record<string, string> | Headers | undefined;
  /**
   * Pacing within the merchant's rate limit. Default (`true`): by the `X-RateLimit-*` headers of the
   * answers, holding calls once the budget is spent; `{ perMinute, perSecond, store }`: evenly within
   * known limits from the first call, in a budget shared through `store` if given; `false`: none.
   */
  rateLimit?: RateLimitOptions | boolean | undefined;
  /** A response body over this many bytes is abandoned and the call rejected. Default 52428800 (50 MiB). */
  maxResponseBytes?: number | undefined;
  /** Called with every event of every call: requests, responses, retries, rate-limit waits, errors. */
  onEvent?: ((event: ConnectEvent) => void) | undefined;
  /** `console` or a pino-style logger: a debug line per answer, retries and waits at info. */
  logger?: Logger | undefined;
}

const DEFAULT_BASE_URL = 'https://connect.reportei.com/api';

/** An operation of the table, with what every call of it needs worked out once. */
interface Operation extends Target {
  id: string;
  pathFields: readonly string[];
  queryFields: readonly string[];
  /** The path and query fields: every other input field belongs to the JSON body. */
  urlFields: readonly string[];
  hasJsonBody: boolean;
  requiresCustomerToken: boolean;
}

const operations: Operation[] = Object.entries(operationTable).map(([id, operation]) => ({
  ...operation,
  id,
  urlFields: [...operation.pathFields, ...operation.queryFields],
}));

/** Query strings as openapi-fetch writes them (arrays exploded), so `raw` and the methods agree. */
const serializeQuery = createQuerySerializer();

/** The fields of `params` named in `names`. */
const pick = (params: Record<string, unknown>, names: readonly string[]) => Object.fromEntries(Object.entries(params).filter(([name]) => names.includes(name)));

/** The fields of `params` not named in `names`. */
const omit = (params: Record<string, unknown>, names: readonly string[]) => Object.fromEntries(Object.entries(params).filter(([name]) => !names.includes(name)));

/**
 * Throws unless each path field in `names` makes one whole path segment: a missing, empty, `.` or
 * `..` value would send the request to another path (`/customers/` for `..` in `/customers/{uuid}/x`).
 */
function checkPathFields(names: readonly string[], values: Record<string, unknown> | undefined, where: string): void {
  for (const name of names) {
    const value = values?.[name];
    if (!['string', 'number'].includes(typeof value) || /^\.{0,2}$/.test(value as string)) {
      throw new TypeError(`${where}: the path field ${name} must be a non-empty string other than "." and "..".`);
    }
  }
}

/** The body of an error response, parsed if it is JSON, with the client's tokens replaced in case the server quotes them. */
function errorBody(settings: Settings, text: string): unknown {
  try {
    return settings.scrub(text ? JSON.parse(text) : undefined);
  } catch {
    return settings.scrub(text);
  }
}

/** Who a client authenticates as, for the advice of a 401: never a token, only where it came from. */
interface Credentials {
  /** Where the merchant token came from: the `token` option or REPORTEI_CONNECT_TOKEN. */
  merchantSource: string;
  /** A client from `forCustomer`, which sends a customer's token too. */
  customer: boolean;
}

/**
 * What to do after a 401 or a 404 of a method, for its error message: which credential was refused
 * and where it came from, or what the operation found nothing for. Path field values are shown (ids,
 * never tokens; scrubbed all the same), tokens never.
 */
function advice(status: number, operation: Operation, params: Record<string, unknown> | undefined, settings: Settings, credentials: Credentials): string | undefined {
  const { id, method, path, pathFields } = operation;
  if (status === 401) {
    return `${id}: ${settings.baseUrl} refused the merchant token (${credentials.merchantSource})${
      credentials.customer
        ? " or the customer token given to forCustomer, which is refused too once the customer's trial has ended, until updateCustomerPaymentStatus marks it paying."
        : "; use that server's merchant API token (the sandbox prints its own)."
    }`;
  }
  if (status === 404) {
    const ids = pathFields.map((name) => `${name} ${JSON.stringify(settings.scrub(String(params?.[name])))}`).join(', ');
    return ids ? `${id} found nothing for ${ids} at ${settings.baseUrl}: check the id.` : `${method} ${path} is not at ${settings.baseUrl}: check baseUrl.`;
  }
  return undefined;
}

function operationMethod(operation: Operation, settings: Settings, credentials: Credentials, headers: Record<string, string>, jsonHeaders: Record<string, string>) {
  const { id, method, path, pathFields, queryFields, urlFields, hasJsonBody } = operation;
  const bodyIsParams = hasJsonBody && !urlFields.length;
  // Without path or query fields the URL never changes: build it once.
  const fixedUrl = urlFields.length ? undefined : settings.baseUrl + path;
  return async (params?: Record<string, unknown>, options?: CallOptions): Promise<unknown> => {
    checkPathFields(pathFields, params, id);
    const url = fixedUrl ?? createFinalURL(path, {
      baseUrl: settings.baseUrl,
      params: { path: params, query: params && queryFields.length ? pick(params, queryFields) : undefined },
      querySerializer: serializeQuery,
      pathSerializer: defaultPathSerializer,
    });
    const body = hasJsonBody && params ? JSON.stringify(bodyIsParams ? params : omit(params, urlFields)) : undefined;
    const base = body === undefined ? headers : jsonHeaders;
    const init = { method, body, headers: options?.headers ? mergeHeaders(base, options.headers) : base };
    const [response, text, result] = await send(settings, operation, url, init, options);
    if (response.ok) return result;
    throw errorFromResponse(method, path, response, errorBody(settings, text), advice(response.status, operation, params, settings, credentials));
  };
}

/** The templated path of each request `raw` builds, from its middleware, for errors. */
const rawPaths = new WeakMap<Request, string>();

/**
 * `raw`: openapi-fetch over `send`. It does not tell its fetch which operation a request belongs to,
 * so raw retries by method only (`retryableMethods`: GET, PUT, DELETE); a middleware notes the templated path and checks
 * the path fields as the methods do. The body is read by `send`, within the timeout, and handed back
 * to openapi-fetch, with the tokens replaced in an error response.
 */
function rawClient(settings: Settings, headers: Record<string, string>) {
  const raw = createClient<paths>({
    baseUrl: settings.baseUrl,
    headers,
    fetch: async (request: Request) => {
      const { method } = request;
      const path = rawPaths.get(request) ?? '';
      const target = { method, path, retryable: retryableMethods.includes(method) };
      const [response, text] = await send(settings, target, request, { method, headers: request.headers });
      const body = response.ok ? text : errorBody(settings, text);
      return new Response(typeof body === 'string' ? body || null : JSON.stringify(body), response);
    },
  });
  raw.use({
    onRequest({ request, schemaPath, params }) {
      checkPathFields(Array.from(schemaPath.matchAll(/\{(.+?)\}/g), (match) => match[1]!), params.path, `${request.method} ${schemaPath}`);
      rawPaths.set(request, schemaPath);
    },
  });
  return raw;
}

function buildClient(settings: Settings, headers: Record<string, string>, credentials: Credentials): Record<string, unknown> {
  const jsonHeaders = { ...headers, 'content-type': 'application/json' };
  const client: Record<string, unknown> = { raw: rawClient(settings, headers) };
  for (const operation of operations) {
    const { id } = operation;
    if (credentials.customer || !operation.requiresCustomerToken) client[id] = operationMethod(operation, settings, credentials, headers, jsonHeaders);
    else {
      // Not in the merchant client's type, and not enumerable: there only to tell a JavaScript caller what to do.
      Object.defineProperty(client, id, {
        value: () => {
          throw new TypeError(`${id} needs the customer token: call connect.forCustomer(customer.api_token).${id}(...) instead.`);
        },
      });
    }
  }
  return client;
}

function checkToken(token: unknown, where: string): string {
  // Printable ASCII only: fetch would otherwise reject the header with the token in its message.
  if (typeof token === 'string' && /^[\x21-\x7e]+$/.test(token)) return token;
  throw new TypeError(`${where} must be a non-empty string without spaces or non-ASCII characters (trim what you read from a file or the environment).`);
}

/** Replaces every occurrence of the tokens in strings, object keys included, deeply. */
function scrubber(tokens: string[]): Settings['scrub'] {
  const scrub = (value: unknown): unknown =>
    typeof value === 'string'
      ? tokens.reduce((text, token) => text.replaceAll(token, '[redacted]'), value)
      : value && typeof value === 'object'
        ? Array.isArray(value)
          ? value.map(scrub)
          : Object.fromEntries(Object.entries(value).map(([key, item]) => [scrub(key), scrub(item)]))
        : value;
  return scrub as Settings['scrub'];
}

/**
 * Creates a client of the Reportei Connect API authenticated as a merchant. Its methods, named after
 * the operations, take the path, query and body fields in one object and return the parsed body.
 * Without `token` or `baseUrl`, reads `REPORTEI_CONNECT_TOKEN` and `REPORTEI_CONNECT_BASE_URL` from
 * `process.env` (where there is one).
 */
export function createConnectClient(options: ConnectClientOptions = {}): ConnectClient {
  const env: Record<string, string | undefined> = (globalThis as { process?: { env?: Record<string, string> } }).process?.env ?? {};
  const token = checkToken(options.token ?? env.REPORTEI_CONNECT_TOKEN, 'createConnectClient: token (the merchant API token, or REPORTEI_CONNECT_TOKEN)');
  const baseUrl = String(options.baseUrl ?? (env.REPORTEI_CONNECT_BASE_URL || DEFAULT_BASE_URL));
  // An origin without credentials (no `@`), then an optional path, without query or fragment.
  if (!/^https?:\/\/[^\s/?#@]+(\/[^\s?#]*)?$/.test(baseUrl)) {
    throw new TypeError(`createConnectClient: baseUrl must be an http(s) URL without credentials, query or fragment, such as ${DEFAULT_BASE_URL}.`);
  }
  const emit = createEmit(options.onEvent, options.logger);
  const settings: Settings = {
    fetch: options.fetch ?? globalThis.fetch,
    baseUrl: baseUrl.replace(/\/+$/, ''),
    origin: new URL(baseUrl).origin,
    timeoutMs: checkTimeout(options.timeoutMs, 30_000, 'createConnectClient'),
    retry: resolveRetry(options.retry, DEFAULT_RETRY, 'createConnectClient'),
    scrub: scrubber([token]),
    maxResponseBytes: checkMaxBytes(options.maxResponseBytes, DEFAULT_MAX_RESPONSE_BYTES, 'createConnectClient'),
    emit,
    pacer: createPacer(options.rateLimit, emit && ((message) => emit({ type: 'rate-limit-store-error', message }))),
  };
  const headers = { ...Object.fromEntries(mergeHeaders(options.headers)), accept: 'application/json', authorization: `Bearer ${token}` };
  const merchantSource = options.token === undefined ? 'REPORTEI_CONNECT_TOKEN' : 'the token option';
  const client = buildClient(settings, headers, { merchantSource, customer: false });
  client.forCustomer = (customerToken: string) => {
    const checked = checkToken(customerToken, "forCustomer: the customer token (the customer's api_token)");
    return buildClient({ ...settings, scrub: scrubber([token, checked]) }, { ...headers, [customerTokenHeader]: checked }, { merchantSource, customer: true });
  };
  return client as unknown as ConnectClient;
}
