import type { paths } from '@reportei-connect/types';
import createClient, { createFinalURL, createQuerySerializer, defaultPathSerializer, mergeHeaders } from 'openapi-fetch';
import { errorFromResponse } from './errors.js';
import { customerTokenHeader, operationTable } from './generated/operations.js';
import { type CallOptions, checkTimeout, DEFAULT_RETRY, resolveRetry, type RetryOptions, send, type Settings, type Target } from './transport.js';
import type { ConnectClient } from './types.js';

export interface ConnectClientOptions {
  /** The merchant's API token, sent as `Authorization: Bearer <token>`. */
  token: string;
  /** Default `https://connect.reportei.com/api`. */
  baseUrl?: string | undefined;
  /** A fetch implementation to use instead of the global one. */
  fetch?: typeof fetch | undefined;
  /** Each attempt is aborted after this many milliseconds. Default 30000. */
  timeoutMs?: number | undefined;
  /** Retries of failed safe calls, or `false` for none. Default `{ retries: 2, minDelayMs: 500, maxDelayMs: 8000 }`. */
  retry?: RetryOptions | false | undefined;
  /** Sent with every request. */
  headers?: Record<string, string> | Headers | undefined;
}

const DEFAULT_BASE_URL = 'https://connect.reportei.com/api';

interface Plan extends Target {
  id: string;
  /** Input fields that are not body fields. */
  notBody: readonly string[];
  queryParams: readonly string[];
  body: boolean;
  customer: boolean;
}

// Worked out once, so that a call only fills in the blanks.
const plans: Plan[] = Object.entries(operationTable).map(([id, operation]) => ({
  ...operation,
  id,
  notBody: [...operation.pathParams, ...operation.queryParams],
}));

/** Query strings as openapi-fetch writes them (arrays exploded), so `raw` and the methods agree. */
const serializeQuery = createQuerySerializer();

/** The fields of `params` that are (`keep`) or are not in `names`. */
const select = (params: Record<string, unknown>, names: readonly string[], keep: boolean) =>
  Object.fromEntries(Object.entries(params).filter(([name]) => names.includes(name) === keep));

/** The parsed success body, or the ConnectError that the response amounts to. */
function outcome({ method, path }: Plan, response: Response, text: string): unknown {
  let body: unknown = text;
  let ok = response.ok;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    ok = false; // a success without JSON means baseUrl is not the API
  }
  if (ok) return body;
  throw errorFromResponse(method, path, response, body);
}

function operationMethod(plan: Plan, settings: Settings, headers: Record<string, string>, jsonHeaders: Record<string, string>) {
  const { method, path, queryParams, notBody } = plan;
  const bodyIsParams = plan.body && !notBody.length;
  // Without path or query fields the URL never changes: build it once.
  const fixedUrl = notBody.length ? undefined : settings.baseUrl + path;
  return async (params?: Record<string, unknown>, options?: CallOptions): Promise<unknown> => {
    const url = fixedUrl ?? createFinalURL(path, {
      baseUrl: settings.baseUrl,
      params: { path: params, query: params && queryParams.length ? select(params, queryParams, true) : undefined },
      querySerializer: serializeQuery,
      pathSerializer: defaultPathSerializer,
    });
    const body = plan.body && params ? JSON.stringify(bodyIsParams ? params : select(params, notBody, false)) : undefined;
    const base = body === undefined ? headers : jsonHeaders;
    const init = { method, body, headers: options?.headers ? mergeHeaders(base, options.headers) : base };
    const [response, text] = await send(settings, plan, url, init, options, true);
    return outcome(plan, response, text);
  };
}

/**
 * What `raw` requests need for retries and errors. openapi-fetch does not tell its fetch which operation
 * a request belongs to, so raw retries by method only (GET, PUT, DELETE) and errors show the real path.
 */
function rawTarget(settings: Settings, { method, url }: Request): Target {
  return { method, path: url.slice(settings.baseUrl.length).split('?')[0]!, retry: /^(GET|PUT|DELETE)$/.test(method) };
}

function buildClient(settings: Settings, headers: Record<string, string>, customer: boolean): Record<string, unknown> {
  const jsonHeaders = { ...headers, 'content-type': 'application/json' };
  const client: Record<string, unknown> = {
    raw: createClient<paths>({
      baseUrl: settings.baseUrl,
      headers,
      fetch: async (request: Request) => (await send(settings, rawTarget(settings, request), request, {}, undefined, false))[0],
    }),
  };
  for (const plan of plans) {
    if (customer || !plan.customer) client[plan.id] = operationMethod(plan, settings, headers, jsonHeaders);
  }
  return client;
}

function checkToken(token: unknown, where: string): string {
  // Printable ASCII only: fetch would otherwise reject the header with the token in its message.
  if (typeof token === 'string' && /^[\x21-\x7e]+$/.test(token)) return token;
  throw new TypeError(`${where} must be a non-empty string without spaces or non-ASCII characters (trim what you read from a file or the environment).`);
}

function checkBaseUrl(baseUrl: string): string {
  // An origin without credentials (no `@`), then an optional path.
  if (/^https?:\/\/[^\s/@]+(\/\S*)?$/.test(baseUrl)) return baseUrl.replace(/\/+$/, '');
  throw new TypeError(`createConnectClient: baseUrl must be an http(s) URL without credentials, such as ${DEFAULT_BASE_URL}.`);
}

/**
 * Creates a client of the Reportei Connect API authenticated as a merchant. Its methods, named after
 * the operations, take the path, query and body fields in one object and return the parsed body.
 */
export function createConnectClient(options: ConnectClientOptions): ConnectClient {
  const token = checkToken(options?.token, 'createConnectClient: token (the merchant API token)');
  const settings: Settings = {
    fetch: options.fetch ?? globalThis.fetch,
    baseUrl: checkBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL),
    timeoutMs: checkTimeout(options.timeoutMs ?? 30_000, 'createConnectClient'),
    retry: resolveRetry(options.retry, DEFAULT_RETRY, 'createConnectClient'),
  };
  const headers = { ...Object.fromEntries(mergeHeaders(options.headers)), accept: 'application/json', authorization: `Bearer ${token}` };
  const client = buildClient(settings, headers, false);
  client.forCustomer = (customerToken: string) => {
    const checked = checkToken(customerToken, "forCustomer: the customer token (the customer's api_token)");
    return buildClient(settings, { ...headers, [customerTokenHeader]: checked }, true);
  };
  return client as unknown as ConnectClient;
}
