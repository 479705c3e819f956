import type { IncomingMessage } from 'node:http';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { ClockError, formatTimestamp, type Clock } from './clock.js';
import { handlers, integrationBody, type OperationContext, type OperationId } from './handlers.js';
import { connectThroughSession, DONE_PATH, openSession, PAGE_PREFIX, pageRoutes } from './hosted-page.js';
import type { RateLimiter, RateLimitState } from './rate-limit.js';
import type { ApiSpec, OperationModel } from './spec.js';
import { INTEGRATION_STATUSES, type CustomerRecord, type IntegrationStatus, type Store } from './store.js';
import type { WebhookSender } from './webhooks.js';
import { validateRequest, validationBody, ValidationFailure, type FieldErrors } from './validation.js';

/** Where the API is served, as in production (`https://connect.reportei.com/api`). */
export const API_PREFIX = '/api';
/** The sandbox's own endpoints, at the origin, outside the API. */
export const CONTROL_PREFIX = '/__sandbox';
/** The request header that makes one request fail on purpose. */
export const FAULT_HEADER = 'x-sandbox-fault';
export const FAULTS = ['500', '429', 'timeout', 'reset'] as const;

/** One request the sandbox served, as `GET /__sandbox/requests` lists it. Never holds a token. */
export interface RequestRecord {
  /** On the sandbox clock. */
  at: string;
  method: string;
  /** The path under the API (`/customers/…`), without the query. */
  path: string;
  /** The HTTP status, or null when the connection was dropped on purpose (`reset`, `timeout`). */
  status: number | null;
  /** The operation the request was routed to, or null when it fits none. */
  operationId: string | null;
  /** The `x-sandbox-fault` it asked for, if any. */
  fault?: string;
}

/** The mutable parts of a sandbox the app works on; `store` is replaced by a reset. */
export interface SandboxCore {
  spec: ApiSpec;
  store: Store;
  clock: Clock;
  limiter: RateLimiter;
  /** The deliveries of `getMetricsDataAsync`'s webhook. */
  webhooks: WebhookSender;
  /** The merchant's default `redirect_url`, when configured (else the sandbox's own "done" page). */
  redirectUrl: string | undefined;
  merchantToken: string;
  maxBodyBytes: number;
  /** Requests waiting forever (`timeout` fault), released when the sandbox closes. */
  hung: Set<() => void>;
  /** The last requests served, newest last. */
  requests: RequestRecord[];
  /** Puts back the state of the seed (and the clock at real time). */
  reset(): void;
  /** Called after each request: writes the state if it changed. */
  persist(): void;
  /** Told of each API request once it is answered (or its connection dropped). */
  onRequest?: ((record: RequestRecord) => void) | undefined;
}

const REQUEST_LOG_SIZE = 100;
/**
 * Marks a response that stands for a connection closed without an answer. A header, because
 * middleware may copy the response; it never reaches a client (over HTTP the socket is gone, and the
 * in-process fetch rejects instead).
 */
export const DROPPED_HEADER = 'x-connect-sandbox-dropped';

/** Closes the connection without answering: the socket over HTTP; the in-process fetch sees the mark and rejects. */
function dropConnection(c: Context): Response {
  (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket.destroy();
  return new Response(null, { status: 500, headers: { [DROPPED_HEADER]: '1' } });
}

function bearerToken(c: Context): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
  return match?.[1];
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

const rateHeaders = (state: Pick<RateLimitState, 'limit' | 'remaining'>) => ({
  'X-RateLimit-Limit': String(state.limit),
  'X-RateLimit-Remaining': String(state.remaining),
});

/** Whether the spec documents `status` for the operation. */
const documents = (operation: OperationModel, status: number) => operation.responses.some((response) => response.status === String(status));

/** Operations the spec says are refused once a customer's trial is over (unless it is paying). */
const trialGated = (operation: OperationModel) => operation.tags.some((tag) => tag === 'Customer integrations' || tag === 'Metrics');

/** The API part of the app: spec-routed, authenticated, rate-limited, validated. */
function apiRoutes(core: SandboxCore): Hono {
  const api = new Hono();
  const { spec } = core;
  const tooLarge = () =>
    json(413, { message: `The request body is larger than the sandbox accepts (${core.maxBodyBytes} bytes).` });
  const limitBody = bodyLimit({ maxSize: core.maxBodyBytes, onError: tooLarge });

  api.all('*', async (c) => {
    const url = new URL(c.req.url);
    const pathname = url.pathname.slice(API_PREFIX.length) || '/';
    const now = core.clock.nowMs();
    const record: RequestRecord = { at: new Date(now).toISOString(), method: c.req.method, path: pathname, status: null, operationId: null };
    core.requests.push(record);
    if (core.requests.length > REQUEST_LOG_SIZE) core.requests.shift();
    const answer = (response: Response) => {
      record.status = response.status;
      core.onRequest?.(record);
      return response;
    };
    const drop = () => {
      core.onRequest?.(record);
      return dropConnection(c);
    };

    const match = spec.match(c.req.method, pathname);
    if (match) record.operationId = match.operation.id;

    const fault = c.req.header(FAULT_HEADER);
    if (fault !== undefined) {
      record.fault = fault;
      switch (fault) {
        case '500':
          return answer(json(500, { message: `Server Error (asked for with ${FAULT_HEADER}: 500)` }));
        case '429':
          return answer(json(429, { message: `Too Many Attempts. (asked for with ${FAULT_HEADER}: 429)` }, { ...rateHeaders({ limit: core.limiter.limit, remaining: 0 }), 'Retry-After': '1' }));
        case 'reset':
          return drop();
        case 'timeout':
          return new Promise<Response>((resolve) => {
            const release = () => {
              core.hung.delete(release);
              c.req.raw.signal.removeEventListener('abort', release);
              resolve(drop());
            };
            core.hung.add(release);
            if (c.req.raw.signal.aborted) release();
            else c.req.raw.signal.addEventListener('abort', release);
          });
        default:
          // 500 is the one error every operation documents; the message says what to send instead.
          return answer(json(500, { message: `Unknown ${FAULT_HEADER} "${fault}": use one of ${FAULTS.join(', ')}.` }));
      }
    }

    if (!match) {
      const allowed = spec.allowed(pathname);
      if (allowed.length > 0) {
        return answer(json(405, { message: `${c.req.method} is not allowed on ${pathname}: use ${allowed.join(', ')}.` }, { Allow: allowed.join(', ') }));
      }
      return answer(json(404, { message: `No operation at ${c.req.method} ${pathname}: see the OpenAPI document for the API's paths.` }));
    }
    const { operation, pathParams } = match;

    // Rate limit, then auth: unknown tokens share one anonymous window.
    const token = bearerToken(c);
    const known = token === core.merchantToken;
    const limit = core.limiter.hit(known ? 'merchant' : 'anonymous', now);
    const headers = rateHeaders(limit);
    const reply = (status: number, body: unknown, extra: Record<string, string> = {}) => {
      // By construction: never a status the spec does not document for the operation.
      if (!documents(operation, status)) throw new Error(`The sandbox tried to answer ${operation.id} with ${status}, which the spec does not document.`);
      return answer(json(status, body, { ...headers, ...extra }));
    };
    if (limit.limited) return reply(429, { message: 'Too Many Attempts.' }, { 'Retry-After': String(limit.retryAfter) });
    if (!known) return reply(401, { message: 'Unauthenticated.' });

    // The body, read within the size limit, before anything else can fail on it.
    let text = '';
    if (operation.requestBody) {
      const refused = await limitBody(c, async () => {
        text = await c.req.text();
      });
      // The unread rest of the body stays on the connection: close it rather than have it reused.
      if (refused) return reply(413, await refused.json(), { Connection: 'close' });
    }

    let customer: CustomerRecord | undefined;
    if (operation.auth === 'merchant+customer') {
      const customerToken = c.req.header(spec.customerHeader);
      customer = customerToken ? core.store.customerByToken(customerToken) : undefined;
      if (!customer) return reply(401, { message: 'Invalid Customer Token' });
      if (trialGated(operation) && !customer.isPaying && now >= customer.trialEndsAt) {
        return reply(401, {
          message: `The customer's trial ended on ${formatTimestamp(customer.trialEndsAt)} (UTC): mark it as paying with updateCustomerPaymentStatus.`,
        });
      }
    }

    let body: unknown;
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch (error) {
        const message = `The request body is not valid JSON: ${(error as Error).message}`;
        return reply(422, validationBody({ body: [message] }));
      }
    }
    const checked = validateRequest(spec, operation, { pathParams, searchParams: url.searchParams, body });
    if (!checked.ok) return reply(422, validationBody(checked.errors));

    const params: Record<string, unknown> = { ...pathParams };
    for (const parameter of operation.parameters) {
      if (parameter.in !== 'query') continue;
      params[parameter.name] = checked.request.query[parameter.name] ?? parameter.schema.default;
    }
    const context: OperationContext = {
      store: core.store,
      now,
      params,
      body: checked.request.body,
      customer,
      url: `${url.origin}${url.pathname}`,
      origin: url.origin,
      seed: core.store.seed,
      rateLimit: core.limiter.limit,
      webhooks: core.webhooks,
      redirectUrl: core.redirectUrl ?? `${url.origin}${DONE_PATH}`,
    };
    try {
      const result = (handlers[operation.id as OperationId] as (context: OperationContext) => { status: number; body: unknown })(context);
      return reply(result.status, result.body);
    } catch (error) {
      if (error instanceof ValidationFailure) return reply(422, validationBody(error.errors));
      throw error;
    } finally {
      core.persist();
    }
  });
  return api;
}

/** The sandbox's own endpoints: reset, clock, request log, integrations, webhook deliveries. */
function controlRoutes(core: SandboxCore): Hono {
  const control = new Hono();
  const unauthorized = () => json(401, { message: 'Unauthenticated: the sandbox endpoints need the merchant token (Authorization: Bearer <token>).' });
  const invalid = (errors: FieldErrors) => json(422, validationBody(errors));
  const readJson = async (c: Context): Promise<{ ok: true; value: Record<string, unknown> } | { ok: false; response: Response }> => {
    const text = await c.req.text();
    if (text.trim() === '') return { ok: true, value: {} };
    try {
      const value: unknown = JSON.parse(text);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) return { ok: true, value: value as Record<string, unknown> };
      return { ok: false, response: invalid({ body: ['The request body must be a JSON object.'] }) };
    } catch (error) {
      return { ok: false, response: invalid({ body: [`The request body is not valid JSON: ${(error as Error).message}`] }) };
    }
  };
  const summary = () => ({
    now: core.clock.now().toISOString(),
    customers: core.store.customerCount,
    demo: { customer: core.store.demo.customer, integration: core.store.demo.integration },
  });

  // Connecting through a session, as the hosted page's button does: the session's uuid is the secret, no token needed.
  control.post('/integration-sessions/:uuid/connect', async (c) => {
    const opened = openSession(core, c.req.param('uuid'));
    if (!opened.ok) {
      return json(401, {
        message: opened.reason === 'expired' ? 'This integration session has expired (sessions last 5 minutes): create a new one.' : 'No such integration session: create one with createIntegrationSession.',
      });
    }
    const input = await readJson(c);
    if (!input.ok) return input.response;
    const { integration, source_name: sourceName, status } = input.value;
    if (status !== undefined && !INTEGRATION_STATUSES.includes(status as IntegrationStatus)) {
      return invalid({ status: [`The status field must be one of ${INTEGRATION_STATUSES.join(', ')}.`] });
    }
    const result = connectThroughSession(core, opened.session, { integration, sourceName, status: status as IntegrationStatus | undefined });
    if (!result.ok) return invalid(result.errors);
    return c.json({ customer_integration: integrationBody(result.integration) }, 201);
  });

  control.use('*', async (c, next) => {
    if (c.req.path.startsWith(`${CONTROL_PREFIX}/integration-sessions/`) && c.req.path.endsWith('/connect')) return next();
    if (bearerToken(c) !== core.merchantToken) return unauthorized();
    return next();
  });
  control.post('/customer-integrations/:uuid/status', async (c) => {
    const integration = core.store.integration(c.req.param('uuid'));
    if (!integration) return json(404, { message: 'Record not found' });
    const input = await readJson(c);
    if (!input.ok) return input.response;
    const { status } = input.value;
    if (!INTEGRATION_STATUSES.includes(status as IntegrationStatus)) return invalid({ status: [`The status field must be one of ${INTEGRATION_STATUSES.join(', ')}.`] });
    core.store.setIntegrationStatus(integration, status as IntegrationStatus, core.clock.nowMs());
    core.persist();
    return c.json({ customer_integration: integrationBody(integration) });
  });
  control.get('/webhook-deliveries', (c) => c.json({ data: core.webhooks.deliveries() }));
  control.post('/webhook-deliveries/flush', async (c) => c.json({ data: await core.webhooks.flush() }));
  control.post('/reset', (c) => {
    core.reset();
    return c.json(summary());
  });
  control.get('/clock', (c) => c.json({ now: core.clock.now().toISOString() }));
  control.post('/clock', async (c) => {
    const input = await readJson(c);
    if (!input.ok) return input.response;
    const { advanceSeconds, now } = input.value;
    try {
      if (advanceSeconds !== undefined && now !== undefined) return invalid({ body: ['Send either advanceSeconds or now, not both.'] });
      if (advanceSeconds !== undefined) core.clock.advance(advanceSeconds as number);
      else if (now !== undefined) core.clock.set(typeof now === 'string' ? now : '');
      else return invalid({ body: ['Send {"advanceSeconds": <seconds>} or {"now": "<RFC 3339 date and time>"}.'] });
    } catch (error) {
      if (error instanceof ClockError) return invalid({ [error.field]: [error.message] });
      throw error;
    } finally {
      core.persist();
    }
    return c.json({ now: core.clock.now().toISOString() });
  });
  control.get('/requests', (c) => c.json({ requests: core.requests }));
  control.all('*', (c) =>
    json(404, {
      message: `No sandbox endpoint at ${c.req.method} ${c.req.path}: see POST /__sandbox/reset, GET|POST /__sandbox/clock, GET /__sandbox/requests, POST /__sandbox/integration-sessions/<session_uuid>/connect, POST /__sandbox/customer-integrations/<uuid>/status, GET /__sandbox/webhook-deliveries, POST /__sandbox/webhook-deliveries/flush.`,
    }),
  );
  return control;
}

/** The whole sandbox as one fetch-style app: the API under `/api`, the sandbox's endpoints under `/__sandbox`. */
export function createApp(core: SandboxCore): Hono {
  const missing = core.spec.operations.filter((operation) => !(operation.id in handlers));
  if (missing.length > 0) throw new Error(`The sandbox has no handler for ${missing.map((operation) => operation.id).join(', ')}.`);

  const app = new Hono();
  // Browsers may call the sandbox from a local web app (the React Query hooks, say).
  const allowBrowsers = cors({
    origin: '*',
    allowHeaders: ['Authorization', 'Content-Type', core.spec.customerHeader, FAULT_HEADER],
    exposeHeaders: ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'Retry-After', 'Allow'],
  });
  app.use(`${API_PREFIX}/*`, allowBrowsers);
  app.use(`${CONTROL_PREFIX}/*`, allowBrowsers);
  app.route(API_PREFIX, apiRoutes(core));
  app.route(CONTROL_PREFIX, controlRoutes(core));
  app.route(PAGE_PREFIX, pageRoutes(core));
  app.all('*', (c) => json(404, { message: `Nothing here: the API is under ${API_PREFIX} (${new URL(c.req.url).origin}${API_PREFIX}), the sandbox's own endpoints under ${CONTROL_PREFIX} and the hosted integration pages under ${PAGE_PREFIX}/session/.` }));
  app.onError((error, c) => {
    console.error('connect-sandbox: unexpected error', error);
    return json(500, { message: `Server Error: ${error.message}` });
  });
  return app;
}
