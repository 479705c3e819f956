import { randomUUID } from 'node:crypto';
import type { CustomerIntegration } from '@reportei-connect/client';
import { parseMetricsWebhook } from '@reportei-connect/client/webhooks';
import { metricPerComponent } from '../catalogue.js';
import { rejected } from '../checks.js';
import { metricResults, type RequestInput } from '../operations.js';
import type { Json } from '../spec.js';
import { describeValue } from '../violations.js';
import type { Reply } from './api.js';
import { startReceiver, type Receiver } from './receiver.js';
import { expectNone, scenario } from './scenario.js';
import { activeIntegration, createCustomerStep, differences, expectActive, lastWeek, network, tokenOf } from './shared.js';

/** A customer's networks: connecting one, reading its metrics, losing it; and metrics by webhook. */

const LARGEST_PAGE = 100;

/** A metrics request for an integration: one catalogue metric per component kind its network offers. */
function metricsRequest(integration: CustomerIntegration) {
  const metrics = metricPerComponent(integration.integration.slug);
  return { customer_integration: integration.uuid, ...lastWeek(), metrics };
}

/** Integration: from an integration session to metrics, expiry and deletion. */
export const customerIntegration = scenario<{
  created: Reply<'createCustomer'>;
  session: Reply<'createIntegrationSession'>;
  integration: CustomerIntegration;
  expired: CustomerIntegration;
}>({
  name: 'customer integration',
  summary: "open a session, connect a network, list and show it, read one catalogue metric per component kind, expire it and see metrics refused, delete it with the session's id",
  steps: [
    createCustomerStep('integration'),
    {
      name: 'open an integration session',
      async run(api, state) {
        state.session = await api.call('createIntegrationSession', { customerToken: tokenOf(state.created), body: { redirect_url: 'https://example.com/contract-tests', locale: 'en' } });
      },
    },
    {
      name: `connect ${network} as the hosted page does`,
      needs: ['controls'],
      async run(api, state) {
        state.integration = await api.controls.connect(state.session.body.integration_session.session_uuid, network, 'contract-tests');
        expectActive(state.integration, network);
      },
    },
    {
      name: "list it among the customer's integrations",
      async run(api, { created, integration }) {
        const listed = (await api.walk('listCustomerIntegrations', LARGEST_PAGE, { customerToken: tokenOf(created) })).records.filter((each) => each.uuid === integration.uuid);
        if (listed.length !== 1) expectNone([`integration ${integration.uuid} is listed ${listed.length} times, not once`]);
        expectNone(differences(integration, listed[0], `/data/(${integration.uuid})`, 'as connected'));
      },
    },
    {
      name: 'show it as connected',
      async run(api, { created, integration }) {
        const { body } = await api.call('getCustomerIntegration', { customerToken: tokenOf(created), path: { uuid: integration.uuid } });
        expectNone(differences(integration, body.customer_integration, '/customer_integration', 'as connected'));
      },
    },
    {
      name: 'read one catalogue metric per component kind of its network',
      // getMetricsData's contract holds each result to its component's schema (src/catalogue.ts).
      async run(api, { created, integration }) {
        const request = metricsRequest(integration);
        if (request.metrics.length === 0) expectNone([`the metrics catalogue has no metric for ${integration.integration.slug}`]);
        await api.call('getMetricsData', { customerToken: tokenOf(created), body: request });
      },
    },
    {
      name: 'expire it as the network would',
      needs: ['controls'],
      async run(api, state) {
        await api.controls.setIntegrationStatus(state.integration.uuid, 'expired');
        const { body } = await api.call('getCustomerIntegration', { customerToken: tokenOf(state.created), path: { uuid: state.integration.uuid } });
        expectNone(differences({ status: 'expired' }, body.customer_integration, '/customer_integration', 'once expired'));
        state.expired = body.customer_integration;
      },
    },
    {
      name: 'metrics of the expired integration are refused',
      async run(api, { created, expired }) {
        await api.call('getMetricsData', { customerToken: tokenOf(created), body: metricsRequest(expired) }, rejected());
      },
    },
    {
      name: "delete it with the session's id",
      async run(api, { created, session, integration }) {
        const request = api.follow(session, 'DeleteCustomerIntegration', 'deleteCustomerIntegration', { path: { uuid: integration.uuid } });
        await api.call('deleteCustomerIntegration', { ...request, customerToken: tokenOf(created) });
      },
    },
    {
      name: 'once deleted, show answers 404 and the list omits it',
      async run(api, { created, integration }) {
        const customerToken = tokenOf(created);
        await api.call('getCustomerIntegration', { customerToken, path: { uuid: integration.uuid } }, rejected(404));
        const listed = (await api.walk('listCustomerIntegrations', LARGEST_PAGE, { customerToken })).records.filter((each) => each.uuid === integration.uuid);
        if (listed.length > 0) expectNone([`the deleted integration ${integration.uuid} is still listed`]);
      },
    },
  ],
});

/** How long to wait for a webhook POST: generous, since it only turns a hang into a failure. */
const WEBHOOK_DEADLINE_MS = 120_000;

/** Webhook: getMetricsDataAsync POSTs the spec's metricsReady callback to the URL it was given, and retries a failed attempt. */
export const metricsWebhook = scenario<{
  receiver: Receiver;
  hook: string;
  source: { customerToken: string; integration: CustomerIntegration };
  request: RequestInput;
  payload: string;
}>({
  name: 'metrics webhook',
  summary: 'request metrics for a loopback receiver, receive the callback, check it against its schema and parseMetricsWebhook; answer the first attempt 500 and see it retried',
  steps: [
    {
      name: 'start a receiver on this machine',
      needs: ['loopback'],
      async run(api, state) {
        // The first attempt is answered 500, every later one 204.
        state.receiver = await startReceiver((index) => (index === 0 ? 500 : 204));
        api.onCleanUp(state.receiver.close);
        state.hook = `${state.receiver.origin}/hooks/${randomUUID()}`;
      },
    },
    {
      name: 'find an active integration',
      async run(api, state) {
        state.source = await activeIntegration(api, 'webhook');
      },
    },
    {
      name: 'request its metrics for the receiver',
      async run(api, state) {
        state.request = { body: { ...metricsRequest(state.source.integration), metrics_webhook_url: state.hook } as unknown as Json };
        await api.call('getMetricsDataAsync', { customerToken: state.source.customerToken, ...state.request });
      },
    },
    {
      name: 'receive the delivery, answered 500',
      async run(_api, state) {
        const { receiver, hook } = state;
        if (!(await receiver.waitFor(1, { deadlineMs: WEBHOOK_DEADLINE_MS }))) expectNone([`nothing was POSTed to ${hook} within ${WEBHOOK_DEADLINE_MS / 1000} s`]);
        const [first] = receiver.received;
        expectNone(differences({ method: 'POST', path: new URL(hook).pathname }, first, '/request', 'the metrics_webhook_url'));
        state.payload = first!.text;
      },
    },
    {
      name: "it conforms to the metricsReady callback's schema, one result per requested metric",
      async run(api, { payload, request }) {
        const callback = api.operation('getMetricsDataAsync').callbackOperations.find((operation) => operation.callback === 'metricsReady');
        if (!callback?.requestBody) expectNone(['the spec documents no metricsReady callback with a body for getMetricsDataAsync']);
        let body: unknown;
        try {
          body = JSON.parse(payload);
        } catch {
          expectNone([`/body: expected a JSON document, got ${describeValue(payload)}`]);
        }
        const failures = api.validator.validate(callback!.requestBody!.schemaPointer, body);
        const semantics = failures.length === 0 ? metricResults(body, request, api.validator) : [];
        expectNone([...failures, ...semantics].map(({ pointer, expected, actual }) => `/body${pointer}: expected ${expected}, got ${actual}`));
      },
    },
    {
      name: 'parseMetricsWebhook accepts it',
      async run(_api, { payload }) {
        try {
          parseMetricsWebhook(payload);
        } catch (error) {
          expectNone([`${(error as Error).name}: ${(error as Error).message}`]);
        }
      },
    },
    {
      name: 'see it retried after the 500',
      async run(api, { receiver, hook, payload }) {
        // On a sandbox, its record of the delivery says at once when no retry is coming.
        let record: string | undefined;
        const giveUp = api.config.controlUrl
          ? async () => {
              const delivery = (await api.controls.webhookDeliveries()).find((each) => each.url === hook);
              if (!delivery || delivery.status === 'pending' || receiver.received.length > 1) return false;
              record = `the sandbox reports the delivery ${delivery.status} after ${delivery.attempts.length} attempt(s)`;
              return true;
            }
          : undefined;
        if (!(await receiver.waitFor(2, { deadlineMs: WEBHOOK_DEADLINE_MS, ...(giveUp && { giveUp }) }))) {
          expectNone([`the delivery answered 500 was not retried: ${record ?? `nothing more was POSTed to ${hook} within ${WEBHOOK_DEADLINE_MS / 1000} s`}`]);
        }
        const [, retry] = receiver.received;
        if (retry!.text !== payload) expectNone([`the retry's body differs from the first attempt's: ${describeValue(retry!.text)}`]);
      },
    },
  ],
});
