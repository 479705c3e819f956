import type { components } from '@reportei-connect/types';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ClockError } from '../clock.js';
import { integrationBody } from '../handlers.js';
import { connectThroughSession, openSession } from '../hosted-page.js';
import { StateWriteError, type RequestRecord, type Runtime } from '../runtime.js';
import { INTEGRATION_STATUSES, type IntegrationStatus } from '../store.js';
import { validationBody, type FieldErrors } from '../validation.js';
import type { WebhookDelivery } from '../webhooks.js';
import { bearerToken, CONTROL_PREFIX, json } from './respond.js';

/**
 * The sandbox's own endpoints under {@link CONTROL_PREFIX}: reset, clock, request log, integrations,
 * webhook deliveries. Their bodies are the types below, which the contract suite imports.
 */

/** `GET|POST /__sandbox/clock`. */
export interface ControlClock {
  /** The sandbox clock, RFC 3339. */
  now: string;
}
/** The body of `POST /__sandbox/clock`: one of the two. */
export type ControlClockInput = { advanceSeconds: number } | { now: string };
/** `POST /__sandbox/reset`. */
export interface ControlResetSummary extends ControlClock {
  customers: number;
  demo: { customer: string; integration: string };
}
/** `GET /__sandbox/requests`. */
export interface ControlRequests {
  requests: RequestRecord[];
}
/** `GET /__sandbox/webhook-deliveries` and `POST /__sandbox/webhook-deliveries/flush`: newest first. */
export interface ControlWebhookDeliveries {
  data: WebhookDelivery[];
}
/** The body of `POST /__sandbox/integration-sessions/<session_uuid>/connect`. */
export interface ControlConnectInput {
  /** A network's slug, as `available_integrations` lists them. */
  integration: string;
  source_name?: string;
  status?: IntegrationStatus;
}
/** The body of `POST /__sandbox/customer-integrations/<uuid>/status`. */
export interface ControlStatusInput {
  status: IntegrationStatus;
}
/** What both integration endpoints answer: the integration, as the API's `getCustomerIntegration` would. */
export interface ControlIntegration {
  customer_integration: components['schemas']['CustomerIntegration'];
}

export interface ControlConfig {
  runtime: Runtime;
  merchantToken: string;
  maxBodyBytes: number;
}

const CONNECT_PATH = /^\/__sandbox\/integration-sessions\/[^/]+\/connect$/;

export function controlRoutes({ runtime, merchantToken, maxBodyBytes }: ControlConfig): Hono {
  const control = new Hono();
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
  const summary = (): ControlResetSummary => ({
    now: runtime.clock.now().toISOString(),
    customers: runtime.store.customerCount,
    demo: { customer: runtime.store.demo.customer, integration: runtime.store.demo.integration },
  });
  const statusError = { status: [`The status field must be one of ${INTEGRATION_STATUSES.join(', ')}.`] };

  // The same body limit as the API's, the connect endpoint (which needs no token) included.
  control.use(
    '*',
    bodyLimit({ maxSize: maxBodyBytes, onError: () => json(413, { message: `The request body is larger than the sandbox accepts (${maxBodyBytes} bytes).` }, { Connection: 'close' }) }),
  );
  // Connecting through a session, as the hosted page's button does: the session's uuid is the secret, no token needed.
  control.use('*', async (c, next) => {
    if (CONNECT_PATH.test(c.req.path) || bearerToken(c) === merchantToken) return next();
    return json(401, { message: 'Unauthenticated: the sandbox endpoints need the merchant token (Authorization: Bearer <token>).' });
  });
  control.onError((error, c) => {
    if (error instanceof StateWriteError) return c.json({ message: error.message }, 500);
    throw error;
  });

  control.post('/integration-sessions/:uuid/connect', async (c) => {
    const opened = openSession(runtime, c.req.param('uuid'));
    if (!opened.ok) {
      return json(401, {
        message: opened.reason === 'expired' ? 'This integration session has expired (sessions last 5 minutes): create a new one.' : 'No such integration session: create one with createIntegrationSession.',
      });
    }
    const input = await readJson(c);
    if (!input.ok) return input.response;
    const { integration, source_name: sourceName, status } = input.value;
    if (status !== undefined && !INTEGRATION_STATUSES.includes(status as IntegrationStatus)) return invalid(statusError);
    const result = connectThroughSession(runtime, opened.session, { integration, sourceName, status: status as IntegrationStatus | undefined });
    if (!result.ok) return invalid(result.errors);
    return c.json({ customer_integration: integrationBody(result.integration) } satisfies ControlIntegration, 201);
  });
  control.post('/customer-integrations/:uuid/status', async (c) => {
    const integration = runtime.store.integration(c.req.param('uuid'));
    if (!integration) return json(404, { message: 'Record not found' });
    const input = await readJson(c);
    if (!input.ok) return input.response;
    const { status } = input.value;
    if (!INTEGRATION_STATUSES.includes(status as IntegrationStatus)) return invalid(statusError);
    runtime.change(() => runtime.store.setIntegrationStatus(integration, status as IntegrationStatus, runtime.clock.nowMs()));
    return c.json({ customer_integration: integrationBody(integration) } satisfies ControlIntegration);
  });
  control.get('/webhook-deliveries', (c) => c.json({ data: runtime.webhooks.deliveries() } satisfies ControlWebhookDeliveries));
  control.post('/webhook-deliveries/flush', async (c) => c.json({ data: await runtime.webhooks.flush() } satisfies ControlWebhookDeliveries));
  control.post('/reset', (c) => {
    runtime.reset();
    return c.json(summary());
  });
  control.get('/clock', (c) => c.json({ now: runtime.clock.now().toISOString() } satisfies ControlClock));
  control.post('/clock', async (c) => {
    const input = await readJson(c);
    if (!input.ok) return input.response;
    const { advanceSeconds, now } = input.value;
    if (advanceSeconds !== undefined && now !== undefined) return invalid({ body: ['Send either advanceSeconds or now, not both.'] });
    if (advanceSeconds === undefined && now === undefined) return invalid({ body: ['Send {"advanceSeconds": <seconds>} or {"now": "<RFC 3339 date and time>"}.'] });
    try {
      runtime.change(() => (advanceSeconds !== undefined ? runtime.clock.advance(advanceSeconds as number) : runtime.clock.set(typeof now === 'string' ? now : '')));
    } catch (error) {
      if (error instanceof ClockError) return invalid({ [error.field]: [error.message] });
      throw error;
    }
    return c.json({ now: runtime.clock.now().toISOString() } satisfies ControlClock);
  });
  control.get('/requests', (c) => c.json({ requests: runtime.requests } satisfies ControlRequests));
  control.all('*', (c) =>
    json(404, {
      message: `No sandbox endpoint at ${c.req.method} ${c.req.path}: see POST /__sandbox/reset, GET|POST /__sandbox/clock, GET /__sandbox/requests, POST /__sandbox/integration-sessions/<session_uuid>/connect, POST /__sandbox/customer-integrations/<uuid>/status, GET /__sandbox/webhook-deliveries, POST /__sandbox/webhook-deliveries/flush.`,
    }),
  );
  return control;
}
