// A tour of @reportei-connect/client. It creates, renames and deletes a customer, so it talks to the
// local sandbox (`pnpm sandbox` in the repository, on http://127.0.0.1:4011/api) unless
// REPORTEI_CONNECT_BASE_URL names another server. `pnpm example client` runs it against a sandbox of
// its own. It reads the merchant token from REPORTEI_CONNECT_TOKEN; REPORTEI_CONNECT_CUSTOMER_TOKEN and
// REPORTEI_CONNECT_CUSTOMER_INTEGRATION pick the customer and integration whose metrics are read (the
// sandbox's demo customer; without them, the customer just created, which has no integration yet).
import { ConnectError, ConnectTimeoutError, createConnectClient, paginate } from '@reportei-connect/client';

const connect = createConnectClient({
  // token: left out, so read from REPORTEI_CONNECT_TOKEN (an empty or missing token throws at once)
  baseUrl: process.env.REPORTEI_CONNECT_BASE_URL ?? 'http://127.0.0.1:4011/api', // production: https://connect.reportei.com/api
  timeoutMs: 10_000, // per attempt, default 30000
  retry: { retries: 2, minDelayMs: 500, maxDelayMs: 8000 }, // or false
  headers: { 'x-app': 'quickstart' },
});

const { merchant } = await connect.getMerchantSettings();
console.log(`merchant ${merchant.name}`);

const { data, meta } = await connect.listCustomers({ page: 1, per_page: 50 });
console.log(`page ${meta.current_page} of ${meta.last_page}: ${data.length} customers`);

// The customer's api_token is returned only here: store it.
const { customer } = await connect.createCustomer({ name: 'Acme' });
await connect.updateCustomer({ uuid: customer.uuid, name: 'Acme Inc.' }); // path, query and body fields in one object
const controller = new AbortController();
const found = await connect.getCustomer({ uuid: customer.uuid }, { signal: controller.signal, timeoutMs: 5000, retry: false });
console.log(`customer ${found.customer.name}`);

// Customer-scoped operations (integrations, metrics) exist only on the client of one customer.
const acme = connect.forCustomer(process.env.REPORTEI_CONNECT_CUSTOMER_TOKEN ?? customer.api_token);
const { customer: settings } = await acme.getCustomerSettings();
const integration = process.env.REPORTEI_CONNECT_CUSTOMER_INTEGRATION ?? settings.integrations[0]?.uuid;
if (integration) {
  const results = await acme.getMetricsData({
    customer_integration: integration,
    start: '2024-01-01',
    end: '2024-09-01',
    metrics: [
      { id: 'f35a44ce-dac5-4188-aace-5c44a8952176', reference_key: 'ig:reach', component: 'number_v1', metrics: ['reach'] },
      { id: '3051ed66-a05c-462a-aece-e1d900e78b02', reference_key: 'ig:followers_gender', component: 'chart_v1', metrics: ['followers'], dimensions: ['gender'] },
    ],
  });
  // Each result is typed by its component: NumberResult, then ChartResult.
  console.log('reach', results['f35a44ce-dac5-4188-aace-5c44a8952176'].values);
  console.log('followers by gender', results['3051ed66-a05c-462a-aece-e1d900e78b02'].labels);
}

for await (const each of paginate(connect.listCustomers, { per_page: 100 })) {
  console.log(`- ${each.name}`); // every customer, page by page
}

try {
  await connect.deleteCustomer({ uuid: customer.uuid });
} catch (error) {
  if (error instanceof ConnectTimeoutError) console.error('no answer in time: try again later');
  else if (!(error instanceof ConnectError)) throw error;
  // status is 0 when no response arrived (ConnectTimeoutError, ConnectAbortError, ConnectConnectionError);
  // errors holds 422 field messages; a token never appears.
  else console.error(error.status, error.method, error.path, error.message, error.errors, error.retryAfter, error.rateLimit);
}

// The underlying openapi-fetch client, with the same auth, retries, timeouts and redirect rule.
const { data: raw } = await connect.raw.GET('/merchants/settings');
console.log(`raw: ${raw?.merchant.uuid}`);
