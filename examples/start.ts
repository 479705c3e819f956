// The first hour with the Reportei Connect API: a customer, the link where it connects its networks,
// and metrics of a connected integration. `pnpm example start` runs it against a sandbox of its own,
// or, with the lines `pnpm sandbox --write-env .env` wrote loaded, against that sandbox.
import { createConnectClient } from '@reportei-connect/client';
import { metric } from '@reportei-connect/metrics';

// Reads REPORTEI_CONNECT_TOKEN, and talks to the local sandbox unless REPORTEI_CONNECT_BASE_URL names
// another server: run as written, it never creates a customer in production.
const connect = createConnectClient({ baseUrl: process.env.REPORTEI_CONNECT_BASE_URL ?? 'http://127.0.0.1:4011/api' });

// 1. A customer. Its api_token is returned only here: store it.
const { customer } = await connect.createCustomer({ name: 'Acme' });
console.log(`customer: ${customer.name} ${customer.uuid}`);

// 2. The customer connects its networks on a hosted page: a session gives the link (5 minutes).
const acme = connect.forCustomer(customer.api_token);
const { integration_session: session } = await acme.createIntegrationSession({ redirect_url: 'https://example.com/connected' });
console.log(`connect a network: ${session.session_link}`);

// 3. Metrics come from a connected integration, such as the sandbox's demo customer's Instagram
//    Business (REPORTEI_CONNECT_CUSTOMER_TOKEN and REPORTEI_CONNECT_CUSTOMER_INTEGRATION).
const demo = connect.forCustomer(process.env.REPORTEI_CONNECT_CUSTOMER_TOKEN ?? '');
const uuid = process.env.REPORTEI_CONNECT_CUSTOMER_INTEGRATION ?? '';
const { customer_integration: integration } = await demo.getCustomerIntegration({ uuid });
console.log(`integration: ${integration.integration.name} (${integration.status})`);
const results = await demo.getMetricsData({
  customer_integration: uuid,
  start: '2025-01-01',
  end: '2025-01-31',
  metrics: [metric('ig:reach', { id: 'reach' })],
});
console.log(`metrics: reach ${results.reach.values}`); // results typed by component: ig:reach is a number_v1
