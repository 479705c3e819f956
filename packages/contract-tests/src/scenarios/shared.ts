import { randomUUID } from 'node:crypto';
import type { CustomerIntegration } from '@reportei-connect/client';
import { richestNetwork } from '../catalogue.js';
import { Unavailable } from '../fixtures.js';
import { pointerOf } from '../spec.js';
import { describeValue } from '../violations.js';
import type { Reply, ScenarioApi } from './api.js';
import { expectNone, type Step } from './scenario.js';

/** What several scenarios do: create customers, connect networks, compare records. */

/** A customer name that says who made it, should one outlive its run. */
export const customerName = (what: string) => `contract-tests scenario: ${what} ${new Date().toISOString()} ${randomUUID().slice(0, 8)}`;

/** Creates a customer (deleted again when the scenario ends): the 201 reply, whose links lead to the customer. */
export const createCustomer = (api: ScenarioApi, what: string): Promise<Reply<'createCustomer'>> => api.call('createCustomer', { body: { name: customerName(what) } });

/** The customer token of a customer just created: its `api_token`, shown only then. */
export const tokenOf = (created: Reply<'createCustomer'>): string => created.body.customer.api_token;

/** The first step of a scenario about a customer of its own: create it, kept as `created`. */
export const createCustomerStep = (what: string): Step<{ created: Reply<'createCustomer'> }> => ({
  name: 'create a customer',
  async run(api, state) {
    state.created = await createCustomer(api, what);
  },
});

/** The network scenarios connect: the catalogue's with the most component kinds. */
export const network = richestNetwork().slug;

/** An integration session for a customer, and `network` connected through it as the hosted page would (the sandbox's control endpoint). */
export async function connectNetwork(api: ScenarioApi, customerToken: string): Promise<{ session: Reply<'createIntegrationSession'>; integration: CustomerIntegration }> {
  const session = await api.call('createIntegrationSession', { customerToken, body: { redirect_url: 'https://example.com/contract-tests', locale: 'en' } });
  const integration = await api.controls.connect(session.body.integration_session.session_uuid, network, 'contract-tests');
  expectActive(integration, network);
  return { session, integration };
}

/** Fails the step unless the integration is an active one of the network. */
export function expectActive(integration: CustomerIntegration, slug: string): void {
  expectNone(differences({ status: 'active', integration: { slug } }, integration, '/customer_integration', 'as connected'));
}

/**
 * An active integration and its customer's token: on a sandbox, a new customer's, connected through
 * the control endpoint; elsewhere, CONNECT_CUSTOMER_INTEGRATION of CONNECT_CUSTOMER_TOKEN's customer.
 */
export async function activeIntegration(api: ScenarioApi, what: string): Promise<{ customerToken: string; integration: CustomerIntegration }> {
  if (api.config.controlUrl) {
    const customer = await createCustomer(api, what);
    const customerToken = tokenOf(customer);
    return { customerToken, integration: (await connectNetwork(api, customerToken)).integration };
  }
  const { customerToken, customerIntegration } = api.config;
  if (!customerToken || !customerIntegration) {
    throw new Unavailable(
      "needs an active integration: the sandbox's control endpoints to connect one (CONNECT_SANDBOX=1 on a sandbox), or CONNECT_CUSTOMER_TOKEN and CONNECT_CUSTOMER_INTEGRATION of an existing one",
    );
  }
  const { body } = await api.call('getCustomerIntegration', { customerToken, path: { uuid: customerIntegration } });
  return { customerToken, integration: body.customer_integration };
}

/** The last seven days, as metrics requests want them. */
export function lastWeek(): { start: string; end: string } {
  const end = new Date();
  const day = (date: Date) => date.toISOString().slice(0, 10);
  return { start: day(new Date(end.getTime() - 7 * 24 * 3600 * 1000)), end: day(end) };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Where `actual` differs from `expected`, which may say less: each field `expected` has must be in
 * `actual`, equal (objects compared field by field, the rest as JSON). One line per difference:
 * `/customer/name: expected "Acme" (as created), got "Acme 2"`.
 */
export function differences(expected: unknown, actual: unknown, pointer = '', note?: string): string[] {
  if (isRecord(expected) && isRecord(actual)) {
    return Object.entries(expected).flatMap(([key, value]) => differences(value, actual[key], `${pointer}${pointerOf(key)}`, note));
  }
  if (JSON.stringify(expected) === JSON.stringify(actual)) return [];
  return [`${pointer || '/'}: expected ${describeValue(expected)}${note ? ` (${note})` : ''}, got ${describeValue(actual)}`];
}

/** How many times each key occurs, for the keys that occur more than once. */
export function repeated<T>(keys: readonly T[]): Map<T, number> {
  const counts = new Map<T, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return new Map([...counts].filter(([, count]) => count > 1));
}
