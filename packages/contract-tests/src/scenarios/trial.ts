import { randomUUID } from 'node:crypto';
import { catalogueMetric } from '../catalogue.js';
import { unauthenticated, type Expectation } from '../checks.js';
import { Unavailable } from '../fixtures.js';
import type { Reply, ScenarioApi } from './api.js';
import { expectNone, scenario } from './scenario.js';
import { createCustomerStep, differences, lastWeek, network, tokenOf } from './shared.js';

/** How far the clock moves: past the 7-day trial every new customer gets. */
const PAST_THE_TRIAL_SECONDS = 8 * 24 * 3600;

/**
 * The operations a trial gates, as the spec describes the trial (createCustomer, Customer.trial_ends_at):
 * "customer-integration and metrics calls answer 401" once it ends, unless the customer pays. The
 * metrics request names an integration the customer does not have: the 401 comes before it is read.
 */
async function gatedCalls(api: ScenarioApi, customerToken: string, expected?: Expectation): Promise<void> {
  await api.call('listCustomerIntegrations', { customerToken }, expected);
  await api.call('createIntegrationSession', { customerToken, body: {} }, expected);
  if (expected) await api.call('getMetricsData', { customerToken, body: { customer_integration: randomUUID(), ...lastWeek(), metrics: [catalogueMetric(network, 'trial')!] } }, expected);
}

/**
 * Trial: after 7 days on the clock an unpaid customer's integration and metrics calls answer 401 while
 * the merchant's operations work; paying lifts it at once. It uses a customer of its own, and checks
 * that the target's own customer (the sandbox's demo customer, which pays) is untouched. The clock only
 * moves forward, and what runs after it is unaffected: new customers start their trial from the new
 * time, sessions are opened when needed.
 */
export const trial = scenario<{ created: Reply<'createCustomer'> }>({
  name: 'trial',
  summary: 'move the clock past the 7-day trial: customer-scoped operations answer 401, merchant ones still work; once paying, they work again',
  steps: [
    createCustomerStep('trial'),
    {
      name: 'its customer-scoped operations work during the trial',
      async run(api, { created }) {
        await gatedCalls(api, tokenOf(created));
      },
    },
    {
      name: 'move the clock past the 7-day trial',
      needs: ['controls'],
      async run(api) {
        await api.controls.advanceClock(PAST_THE_TRIAL_SECONDS);
      },
    },
    {
      name: 'its customer-integration and metrics operations answer 401',
      async run(api, { created}) {
        await gatedCalls(api, tokenOf(created), unauthenticated);
      },
    },
    {
      name: "the merchant's operations still work",
      async run(api, { created}) {
        await api.call('getMerchantSettings');
        await api.call('getCustomer', api.follow(created, 'GetCustomer', 'getCustomer'));
        await api.call('listCustomers', { query: { page: 1, per_page: 1 } });
      },
    },
    {
      name: 'mark it paying',
      async run(api, { created}) {
        await api.call('updateCustomerPaymentStatus', api.follow(created, 'UpdateCustomerPaymentStatus', 'updateCustomerPaymentStatus', { body: { is_paying: true } }));
        const { body } = await api.call('getCustomer', api.follow(created, 'GetCustomer', 'getCustomer'));
        if (body.customer.is_paying !== undefined) expectNone(differences(true, body.customer.is_paying, '/customer/is_paying', 'marked paying'));
      },
    },
    {
      name: 'its customer-scoped operations work again',
      async run(api, { created}) {
        await gatedCalls(api, tokenOf(created));
      },
    },
    {
      name: "the target's own customer still works",
      independent: true,
      async run(api) {
        const { customerToken } = api.config;
        if (!customerToken) throw new Unavailable('needs CONNECT_CUSTOMER_TOKEN, the customer other runs use');
        await api.call('getCustomerSettings', { customerToken });
        await api.call('listCustomerIntegrations', { customerToken });
      },
    },
  ],
});
