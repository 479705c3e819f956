// Metrics for the customer of flow.sh: read at once with the client, then delivered to a webhook on this
// machine by getMetricsDataAsync. `pnpm example webhook` runs it, with the REPORTEI_CONNECT_* lines set.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createConnectClient } from '@reportei-connect/client';
import { parseMetricsWebhook } from '@reportei-connect/client/webhooks';
import { metric } from '@reportei-connect/metrics';

const connect = createConnectClient({
  token: process.env.REPORTEI_CONNECT_TOKEN ?? 'sandbox-merchant-token',
  baseUrl: process.env.REPORTEI_CONNECT_BASE_URL ?? 'http://127.0.0.1:4011/api',
});
const customer = connect.forCustomer(process.env.REPORTEI_CONNECT_CUSTOMER_TOKEN ?? '');
const request = {
  customer_integration: process.env.REPORTEI_CONNECT_CUSTOMER_INTEGRATION ?? '',
  start: '2025-01-01',
  end: '2025-01-31',
  metrics: [metric('ig:reach', { id: 'reach' }), metric('ig:reach_over_time', { id: 'daily' })],
};

const now = await customer.getMetricsData(request);
console.log(now.reach?.values); // a number: made up, the same for the same seed

// The webhook: a server on this machine, which the sandbox POSTs the results to about a second later.
let deliver: (body: string) => void = () => {};
const delivered = new Promise<string>((resolve) => (deliver = resolve));
const server = createServer(async (incoming, outgoing) => {
  let body = '';
  for await (const chunk of incoming) body += chunk;
  outgoing.writeHead(204).end();
  deliver(body);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const webhook = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/january-report`;

console.log(await customer.getMetricsDataAsync({ ...request, metrics_webhook_url: webhook })); // { message: 'Metrics are being processed and will be sent to the webhook' }
const results = parseMetricsWebhook(await delivered); // a MetricsWebhookError unless it is what the spec says
console.log(JSON.stringify(results) === JSON.stringify(now)); // true: the same results, through the webhook
server.close();
