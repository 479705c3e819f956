// The sandbox in a test: the real client, no port, no network. `pnpm example sandbox` runs it.
import { ConnectError, createConnectClient, paginate } from '@reportei-connect/client';
import { metric } from '@reportei-connect/metrics';
import { createSandbox } from '@reportei-connect/sandbox';

const sandbox = createSandbox({ seed: 'quickstart' }); // in memory; { stateFile } keeps it on disk
const connect = createConnectClient({ token: sandbox.merchantToken, baseUrl: sandbox.baseUrl, fetch: sandbox.fetch });

// A customer lives until deleted; its api_token is shown only here.
const { customer } = await connect.createCustomer({ name: 'Acme' });
const acme = connect.forCustomer(customer.api_token);
console.log(customer.trial_ends_at); // 7 days from the sandbox clock's now

// Metrics come from the demo customer's active Instagram Business integration.
const demo = connect.forCustomer(sandbox.customerToken);
const result = await demo.getMetricsData({
  customer_integration: sandbox.integration,
  start: '2025-01-01',
  end: '2025-01-31',
  metrics: [metric('ig:reach', { id: 'reach' }), metric('ig:reach_over_time', { id: 'daily' })],
});
console.log(result.reach?.values, result.daily); // the same numbers for the same seed; a chart of 31 days

// Move the clock past the trial: Acme's customer-scoped calls now answer 401, until it pays.
sandbox.clock.advance(8 * 24 * 3600);
try {
  await acme.listCustomerIntegrations();
} catch (error) {
  if (!(error instanceof ConnectError)) throw error;
  console.log(error.status, error.message); // 401 The customer's trial ended on ...
}
await connect.updateCustomerPaymentStatus({ uuid: customer.uuid, is_paying: true });
console.log((await acme.listCustomerIntegrations()).meta.total); // 0: Acme has connected nothing yet

// Make one request fail on purpose; the client retries GETs.
await connect.listCustomers({}, { headers: { 'x-sandbox-fault': '500' }, retry: false }).catch((error: ConnectError) => console.log(error.status)); // 500

for await (const each of paginate(connect.listCustomers, { per_page: 1 })) console.log(each.name); // Demo Customer, Acme

// The same sandbox over HTTP, for curl or another process; close() releases everything.
const server = await sandbox.listen({ port: 0 });
console.log(server.baseUrl); // http://127.0.0.1:<port>/api
console.log(Object.keys(server.env)); // the four REPORTEI_CONNECT_* variables, for a child process
await server.close();
await sandbox.close();
