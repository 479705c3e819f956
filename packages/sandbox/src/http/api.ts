import { expandTemplate } from '@reportei-connect/spec-model';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';
import { formatTimestamp } from '../clock.js';
import { handlers, type OperationContext, type OperationId } from '../handlers.js';
import type { RateLimiter } from '../rate-limit.js';
import { StateWriteError, type RequestRecord, type Runtime } from '../runtime.js';
import type { ApiSpec, OperationModel } from '../spec.js';
import type { CustomerRecord } from '../store.js';
import { validateRequest, validationBody, ValidationFailure, type ParsedRequest } from '../validation.js';
import { API_PREFIX, bearerToken, dropConnection, DROPPED_HEADER, FAULT_HEADER, FAULTS, json, rateHeaders, type HungRequests } from './respond.js';

/**
 * The API: each concern of a request one middleware, in the order a request meets them (log, route,
 * faults, rate limit, auth, body limit, customer, trial gate, validation), each given only what it
 * needs and handing what it learnt to the next through typed context variables; then the operation's
 * handler, within one runtime transaction.
 */

export interface ApiVariables {
  record: RequestRecord;
  /** The sandbox clock when the request arrived: every step of one request reads the same time. */
  now: number;
  /** The operation the request fits (set by `route`; the steps after `requireOperation` have it). */
  operation: OperationModel;
  pathParams: Record<string, string>;
  /** The rate-limit headers every answer after the count carries. */
  limitHeaders: Record<string, string>;
  /** The raw body, read within the size limit (empty for operations without one). */
  bodyText: string;
  customer: CustomerRecord | undefined;
  input: ParsedRequest;
}

type Env = { Variables: ApiVariables };
type Step = MiddlewareHandler<Env>;

/** Whether the spec documents `status` for the operation. */
const documents = (operation: OperationModel, status: number) => operation.responses.some((response) => response.status === String(status));

/**
 * An answer of the operation: never a status the spec does not document for it (a sandbox bug, thrown),
 * always with the rate-limit headers once the request is counted.
 */
function reply(c: Context<Env>, status: number, body: unknown, extra: Record<string, string> = {}): Response {
  const operation = c.get('operation');
  if (!documents(operation, status)) throw new Error(`The sandbox tried to answer ${operation.id} with ${status}, which the spec does not document.`);
  return json(status, body, { ...(c.get('limitHeaders') ?? {}), ...extra });
}

/** Logs the request when it arrives (so a held one is listed) and tells `onRequest` once it is answered or dropped. */
function logRequests(runtime: Runtime, onRequest: ((record: RequestRecord) => void) | undefined): Step {
  return async (c, next) => {
    const now = runtime.clock.nowMs();
    const pathname = new URL(c.req.url).pathname.slice(API_PREFIX.length) || '/';
    const record: RequestRecord = { at: new Date(now).toISOString(), method: c.req.method, path: pathname, status: null, operationId: null };
    runtime.logRequest(record);
    c.set('record', record);
    c.set('now', now);
    await next();
    if (!c.res.headers.has(DROPPED_HEADER)) record.status = c.res.status;
    onRequest?.(record);
  };
}

/** Finds the operation the request fits; requests that fit none are answered after the faults. */
function route(spec: ApiSpec): Step {
  return async (c, next) => {
    const match = spec.match(c.req.method, c.get('record').path);
    if (match) {
      c.get('record').operationId = match.operation.id;
      c.set('operation', match.operation);
      c.set('pathParams', match.pathParams);
    }
    await next();
  };
}

/** `x-sandbox-fault`: fails the request on purpose, whatever else it is. */
function faults(limit: number, hung: HungRequests): Step {
  return async (c, next) => {
    const fault = c.req.header(FAULT_HEADER);
    if (fault === undefined) return next();
    c.get('record').fault = fault;
    switch (fault) {
      case '500':
        return json(500, { message: `Server Error (asked for with ${FAULT_HEADER}: 500)` });
      case '429':
        return json(429, { message: `Too Many Attempts. (asked for with ${FAULT_HEADER}: 429)` }, { ...rateHeaders({ limit, remaining: 0 }), 'Retry-After': '1' });
      case 'reset':
        return dropConnection(c);
      case 'timeout':
        return new Promise<Response>((resolve) => {
          const signal = c.req.raw.signal;
          const release = () => {
            hung.delete(release);
            signal.removeEventListener('abort', release);
            resolve(dropConnection(c));
          };
          hung.add(release);
          if (signal.aborted) release();
          else signal.addEventListener('abort', release);
        });
      default:
        // 500 is the one error every operation documents; the message says what to send instead.
        return json(500, { message: `Unknown ${FAULT_HEADER} "${fault}": use one of ${FAULTS.join(', ')}.` });
    }
  };
}

/** 404 for a path the API does not have, 405 for a method its path does not take. */
function requireOperation(spec: ApiSpec): Step {
  return async (c, next) => {
    if (c.get('operation')) return next();
    const { path, method } = c.get('record');
    const allowed = spec.allowed(path);
    if (allowed.length > 0) return json(405, { message: `${method} is not allowed on ${path}: use ${allowed.join(', ')}.` }, { Allow: allowed.join(', ') });
    return json(404, { message: `No operation at ${method} ${path}: see the OpenAPI document for the API's paths.` });
  };
}

/** Counts the request against its token's window (unknown tokens share one), then refuses it past the limit. */
function rateLimit(limiter: RateLimiter, merchantToken: string): Step {
  return async (c, next) => {
    const state = limiter.hit(bearerToken(c) === merchantToken ? 'merchant' : 'anonymous', c.get('now'));
    c.set('limitHeaders', rateHeaders(state));
    if (state.limited) return reply(c, 429, { message: 'Too Many Attempts.' }, { 'Retry-After': String(state.retryAfter) });
    return next();
  };
}

/** The merchant's bearer token. */
function merchantAuth(merchantToken: string): Step {
  return async (c, next) => (bearerToken(c) === merchantToken ? next() : reply(c, 401, { message: 'Unauthenticated.' }));
}

/** Reads the body within `maxBytes`, before anything else can fail on it. */
function bodyLimit(maxBytes: number): Step {
  const limit = honoBodyLimit({ maxSize: maxBytes, onError: () => json(413, { message: `The request body is larger than the sandbox accepts (${maxBytes} bytes).` }) });
  return async (c, next) => {
    c.set('bodyText', '');
    if (!c.get('operation').requestBody) return next();
    let text = '';
    const refused = await limit(c, async () => {
      text = await c.req.text();
    });
    // The unread rest of the body stays on the connection: close it rather than have it reused.
    if (refused) return reply(c, 413, await refused.json(), { Connection: 'close' });
    c.set('bodyText', text);
    return next();
  };
}

/** The customer token, on customer-scoped operations. */
function customerAuth(header: string, customerByToken: (token: string) => CustomerRecord | undefined): Step {
  return async (c, next) => {
    if (c.get('operation').auth !== 'merchant+customer') {
      c.set('customer', undefined);
      return next();
    }
    const token = c.req.header(header);
    const customer = token ? customerByToken(token) : undefined;
    if (!customer) return reply(c, 401, { message: 'Invalid Customer Token' });
    c.set('customer', customer);
    return next();
  };
}

/** Refuses the operations the spec marks `x-trial-gated` once the customer's trial is over, unless it is paying. */
function trialGate(): Step {
  return async (c, next) => {
    const customer = c.get('customer');
    if (!c.get('operation').trialGated || !customer || customer.isPaying || c.get('now') < customer.trialEndsAt) return next();
    return reply(c, 401, {
      message: `The customer's trial ended on ${formatTimestamp(customer.trialEndsAt)} (UTC): mark it as paying with updateCustomerPaymentStatus.`,
    });
  };
}

/** Parses the JSON body and checks the request against the spec: 422 with every field's problem. */
function validate(spec: ApiSpec): Step {
  return async (c, next) => {
    const text = c.get('bodyText');
    let body: unknown;
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch (error) {
        return reply(c, 422, validationBody({ body: [`The request body is not valid JSON: ${(error as Error).message}`] }));
      }
    }
    const checked = validateRequest(spec, c.get('operation'), { pathParams: c.get('pathParams'), searchParams: new URL(c.req.url).searchParams, body });
    if (!checked.ok) return reply(c, 422, validationBody(checked.errors));
    c.set('input', checked.request);
    return next();
  };
}

export interface ApiConfig {
  spec: ApiSpec;
  runtime: Runtime;
  merchantToken: string;
  maxBodyBytes: number;
  hung: HungRequests;
  /** Where the hosted page's final button leads unless the session says, for the origin a request came to. */
  redirectUrl: (origin: string) => string;
  onRequest: ((record: RequestRecord) => void) | undefined;
}

/** The API, mounted at {@link API_PREFIX}. */
export function apiRoutes(config: ApiConfig): Hono<Env> {
  const { spec, runtime, merchantToken } = config;
  const api = new Hono<Env>();
  api.use(
    logRequests(runtime, config.onRequest),
    route(spec),
    faults(runtime.limiter.limits.perMinute, config.hung),
    requireOperation(spec),
    rateLimit(runtime.limiter, merchantToken),
    merchantAuth(merchantToken),
    bodyLimit(config.maxBodyBytes),
    customerAuth(spec.customerHeader, (token) => runtime.store.customerByToken(token)),
    trialGate(),
    validate(spec),
  );
  api.all('*', (c) => {
    const operation = c.get('operation');
    const input = c.get('input');
    const url = new URL(c.req.url);
    const params: Record<string, unknown> = { ...input.pathParams };
    for (const parameter of operation.parameters) {
      if (parameter.in === 'query') params[parameter.name] = input.query[parameter.name] ?? parameter.schema.default;
    }
    const callbackSource = { method: operation.method, url: c.req.url, request: { path: input.pathParams, query: input.query, headers: c.req.raw.headers, body: input.body } };
    const context: OperationContext = {
      store: runtime.store,
      now: c.get('now'),
      params,
      body: input.body,
      customer: c.get('customer'),
      url: `${url.origin}${url.pathname}`,
      origin: url.origin,
      rateLimit: runtime.limiter.limits,
      redirectUrl: config.redirectUrl(url.origin),
      callbackUrl: (name) => {
        const callback = operation.callbackOperations.find((each) => each.callback === name);
        if (!callback) throw new Error(`${operation.id} has no callback ${name} in the spec.`);
        return expandTemplate(callback.expression, callbackSource);
      },
      deliver: (job) => runtime.deliver(job),
    };
    try {
      const result = runtime.change(() => (handlers[operation.id as OperationId] as (context: OperationContext) => { status: number; body: unknown })(context));
      return reply(c, result.status, result.body);
    } catch (error) {
      if (error instanceof ValidationFailure) return reply(c, 422, validationBody(error.errors));
      if (error instanceof StateWriteError) return reply(c, 500, { message: error.message });
      throw error;
    }
  });
  return api;
}
