import { createConnectClient } from '@reportei-connect/client';
import { metric, referenceKeys, integrations } from '@reportei-connect/metrics';

// The sandbox's demo customer and its Instagram Business integration, from the REPORTEI_CONNECT_* lines
// `pnpm sandbox` prints; sent to the sandbox unless REPORTEI_CONNECT_BASE_URL names another server.
const connect = createConnectClient({ baseUrl: process.env.REPORTEI_CONNECT_BASE_URL ?? 'http://127.0.0.1:4011/api' });
const acme = connect.forCustomer(process.env.REPORTEI_CONNECT_CUSTOMER_TOKEN ?? '');

const gender = metric('ig:followers_gender');      // a metric request with a fresh uuid as id
const reach = metric('ig:reach', { id: 'reach' }); // id kept, typed as the literal 'reach'

const result = await acme.getMetricsData({
  customer_integration: process.env.REPORTEI_CONNECT_CUSTOMER_INTEGRATION ?? '',
  start: '2025-01-01',
  end: '2025-01-31',
  metrics: [reach, gender],
});
// Each result is keyed by its request's id.
console.log(result.reach.values); // NumberResult, because ig:reach is a number_v1
console.log(result[gender.id]?.labels); // ChartResult, because ig:followers_gender is a chart_v1 (a uuid id: maybe absent)

referenceKeys.length; // 1667
integrations.map(({ slug, name }) => `${slug}: ${name}`); // 'instagram_business: Instagram Business', ...
