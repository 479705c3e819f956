import { integrations, metric, type MetricDefinition } from '@reportei-connect/metrics';
import { describe, expect, it } from 'vitest';
import { createSandbox } from '../src/index.js';
import { validator } from './conformance.js';
import { rejection, setup } from './helpers.js';

const JANUARY = { start: '2025-01-01', end: '2025-01-31' };

const januaryDays = Array.from({ length: 31 }, (_, index) => `2025-01-${String(index + 1).padStart(2, '0')}`);

const SCHEMA_OF: Record<string, string> = {
  number_v1: '/components/schemas/NumberResult',
  chart_v1: '/components/schemas/ChartResult',
  datatable_v1: '/components/schemas/DatatableResult',
};

describe('getMetricsData', () => {
  it('answers exactly the requested ids, each shaped by its component', async () => {
    const { demo, sandbox } = setup();
    const requests = [
      metric('ig:reach', { id: 'reach' }),
      metric('ig:reach_over_time', { id: 'over-time' }),
      metric('ig:followers_gender', { id: 'gender' }),
      metric('ig:followers_gender_age', { id: 'age-gender' }),
      metric('ig:clicks_breakdown', { id: 'clicks' }),
      metric('ig:stories_datagrid', { id: 'grid' }),
      metric('ig:warning_organic_data', { id: 'note' }),
    ];
    const result = await demo.getMetricsData({ customer_integration: sandbox.integration, ...JANUARY, metrics: requests });
    expect(Object.keys(result).sort()).toEqual(['age-gender', 'clicks', 'gender', 'grid', 'note', 'over-time', 'reach']);

    expect(result.reach).toEqual({ values: expect.any(Number), comparison: { values: null, difference: null, absoluteDifference: null } });

    // A date dimension: one label per day of the period, one series per metric.
    expect(result['over-time'].labels).toEqual(januaryDays);
    expect(result['over-time'].values).toEqual([{ label: 'Reach', data: expect.any(Array) }]);
    const daily = result['over-time'].values[0]!.data as number[];
    expect(daily).toHaveLength(31);
    // The number is the total of the days the chart shows.
    expect(daily.reduce((sum, value) => sum + value, 0)).toBe(result.reach?.values);

    // Another dimension: its values as labels; a second dimension splits the series.
    expect(result.gender.labels).toEqual(['Male', 'Female', 'Unknown']);
    expect(result.gender.values).toHaveLength(1);
    expect(result['age-gender'].labels).toEqual(['13-17', '18-24', '25-34', '35-44', '45-54', '55-64', '65+']);
    expect(result['age-gender'].values.map((series) => series.label)).toEqual(['Male', 'Female', 'Unknown']);
    for (const series of result['age-gender'].values) expect(series.data).toHaveLength(7);

    // A table: the dimension's value, then one value per metric, sorted as asked (-count).
    const rows = result.clicks.values;
    expect(rows.map((row) => row[0]).sort()).toEqual(['Calls', 'Directions', 'Email', 'Websites']);
    for (const row of rows) expect(row).toEqual([expect.any(String), expect.any(Number), expect.any(Number)]);
    const counts = rows.map((row) => row[1] as number);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));

    expect(result.grid).toMatchObject({ columns: expect.any(Array), values: expect.any(Array) });
    expect(result.note).toEqual({ values: '' });
  });

  it('fills the comparison when a comparison period is asked for', async () => {
    const { demo, sandbox } = setup();
    const result = await demo.getMetricsData({
      customer_integration: sandbox.integration,
      ...JANUARY,
      comparison_start: '2024-12-01',
      comparison_end: '2024-12-31',
      metrics: [metric('ig:reach', { id: 'reach' })],
    });
    const { values, comparison } = result.reach!;
    expect(comparison).toEqual({ values: expect.any(Number), difference: expect.any(Number), absoluteDifference: expect.any(Number) });
    expect(comparison!.absoluteDifference).toBeCloseTo(values! - comparison!.values!, 6);
    expect(comparison!.difference).toBeCloseTo((values! - comparison!.values!) / comparison!.values!, 5);
  });

  it('is deterministic for the same seed, integration, reference key and period, and not across them', async () => {
    const request = (integration: string, period = JANUARY) => ({
      customer_integration: integration,
      ...period,
      metrics: [metric('ig:reach', { id: 'a' }), metric('ig:followers_city', { id: 'b' })],
    });
    const one = setup({ seed: 'alpha' });
    const two = setup({ seed: 'alpha' });
    const other = setup({ seed: 'beta' });
    const first = await one.demo.getMetricsData(request(one.sandbox.integration));
    expect(await one.demo.getMetricsData(request(one.sandbox.integration))).toEqual(first);
    expect(two.sandbox.integration).toBe(one.sandbox.integration);
    expect(await two.demo.getMetricsData(request(two.sandbox.integration))).toEqual(first);
    expect(await other.demo.getMetricsData(request(other.sandbox.integration))).not.toEqual(first);
    expect(await one.demo.getMetricsData(request(one.sandbox.integration, { start: '2025-02-01', end: '2025-02-28' }))).not.toEqual(first);
    // Restricting to one entity is another series.
    const entity = await one.demo.getMetricsData({ ...request(one.sandbox.integration), metrics: [{ ...metric('ig:reach', { id: 'a' }), entity_id: '123', entity_type: 'ad' }] });
    expect(entity.a).not.toEqual(first.a);
    // Another id for the same metric changes nothing but the key.
    const renamed = await one.demo.getMetricsData({ ...request(one.sandbox.integration), metrics: [metric('ig:reach', { id: 'z' })] });
    expect(renamed.z).toEqual(first.a);
  });

  it('answers every ready-made metric of every network, conforming to the spec and to its component', async () => {
    const { connect, sandbox } = setup();
    const { customer } = await connect.createCustomer({ name: 'Every network' });
    await connect.updateCustomerPaymentStatus({ uuid: customer.uuid, is_paying: true });
    const client = connect.forCustomer(customer.api_token);
    let answered = 0;
    for (const network of integrations) {
      const integration = sandbox.connectIntegration(customer.uuid, network.slug);
      const definitions = Object.values(network.definitions as Record<string, MetricDefinition>);
      const requests = definitions.map((definition, index) => ({ ...definition, id: `m${index}` }));
      const result = (await client.getMetricsData({ customer_integration: integration, start: '2025-03-01', end: '2025-03-07', metrics: requests })) as Record<string, any>;
      expect(Object.keys(result)).toEqual(requests.map((request) => request.id));
      for (const request of requests) {
        const value = result[request.id];
        const pointer = SCHEMA_OF[request.component] ?? '/components/schemas/ComponentResult';
        expect(validator.validate(pointer, value), `${network.slug} ${request.reference_key}`).toEqual([]);
        if (request.component === 'chart_v1') for (const series of value.values) expect(series.data).toHaveLength(value.labels.length);
        if (request.component === 'datatable_v1') {
          const width = Math.min(Math.max(request.dimensions?.length ?? 0, 1), 2) + request.metrics.length;
          for (const row of value.values) expect(row).toHaveLength(width);
        }
        if (request.component !== 'number_v1' && request.component !== 'chart_v1') expect(value).toHaveProperty('values');
        answered++;
      }
    }
    expect(answered).toBeGreaterThan(1600);
  });

  it("refuses, with 422 naming the field, a reference key of another network, and an integration that is not active or not the customer's", async () => {
    const { connect, demo, sandbox } = setup();
    const foreign = await rejection(
      demo.getMetricsData({ customer_integration: sandbox.integration, ...JANUARY, metrics: [metric('ig:reach', { id: 'ok' }), metric('fb_ads:reach', { id: 'ads' })] }),
    );
    expect(foreign.status).toBe(422);
    expect(Object.keys(foreign.errors)).toEqual(['metrics.1.reference_key']);

    expect(foreign.errors['metrics.1.reference_key']).toEqual([expect.stringContaining('is a metric of Meta Ads, not of Instagram Business')]);
    for (const [key, message] of [
      ['zz:reach', 'names no network'],
      ['reach', 'is not one: use <prefix>:<metric>'],
      ['ig:', 'is not one'],
    ] as const) {
      const refused = await rejection(demo.getMetricsData({ customer_integration: sandbox.integration, ...JANUARY, metrics: [{ id: 'x', reference_key: key, component: 'number_v1', metrics: ['x'] }] }));
      expect(refused.errors['metrics.0.reference_key'], key).toEqual([expect.stringContaining(message)]);
    }

    const expired = (await demo.listCustomerIntegrations()).data.find((integration) => integration.status === 'expired')!;
    const inactive = await rejection(demo.getMetricsData({ customer_integration: expired.uuid, ...JANUARY, metrics: [metric('fb:page_impressions', { id: 'x' })] }));
    expect(inactive.status).toBe(422);
    expect(Object.keys(inactive.errors)).toEqual(['customer_integration']);
    expect(inactive.message).toMatch(/expired/);

    const { customer } = await connect.createCustomer({ name: 'Not the owner' });
    const stranger = connect.forCustomer(customer.api_token);
    const notTheirs = await rejection(stranger.getMetricsData({ customer_integration: sandbox.integration, ...JANUARY, metrics: [metric('ig:reach')] }));
    expect(notTheirs.status).toBe(422);
    expect(Object.keys(notTheirs.errors)).toEqual(['customer_integration']);

    const backwards = await rejection(demo.getMetricsData({ customer_integration: sandbox.integration, start: '2025-02-01', end: '2025-01-01', metrics: [metric('ig:reach')] }));
    expect(Object.keys(backwards.errors)).toEqual(['end']);
    const halfComparison = await rejection(demo.getMetricsData({ customer_integration: sandbox.integration, ...JANUARY, comparison_start: '2024-12-01', metrics: [metric('ig:reach')] }));
    expect(Object.keys(halfComparison.errors)).toEqual(['comparison_end']);
    const twice = await rejection(demo.getMetricsData({ customer_integration: sandbox.integration, ...JANUARY, metrics: [metric('ig:reach', { id: 'same' }), metric('ig:impressions', { id: 'same' })] }));
    expect(Object.keys(twice.errors)).toEqual(['metrics.1.id']);
  });
});

describe('metrics beyond the catalogue', () => {
  it("answers the spec's own example, and any well-formed key of the integration's network, shaped by the component", async () => {
    const { demo, sandbox } = setup();
    const example = (await import('./conformance.js')).operations.find((operation) => operation.id === 'getMetricsData')!.requestBody!;
    const body = (Object.values(example.examples)[0] ?? example.example) as Parameters<typeof demo.getMetricsData>[0];
    const answered = await demo.getMetricsData({ ...body, customer_integration: sandbox.integration });
    expect(Object.keys(answered)).toHaveLength(body.metrics.length);

    const result = await demo.getMetricsData({
      customer_integration: sandbox.integration,
      ...JANUARY,
      metrics: [
        { id: 'sad', reference_key: 'ig:sad', component: 'number_v1', metrics: ['sad'] },
        // Upstream's own example asks for it; no published payload has it.
        { id: 'replies', reference_key: 'ig:story_replies', component: 'number_v1', metrics: ['story_replies'] },
        { id: 'daily', reference_key: 'ig:brand_new_metric', component: 'chart_v1', metrics: ['brand_new_metric'], dimensions: ['date'] },
      ],
    });
    expect(result.sad).toEqual({ values: expect.any(Number), comparison: { values: null, difference: null, absoluteDifference: null } });
    expect(result.replies).toEqual({ values: expect.any(Number), comparison: { values: null, difference: null, absoluteDifference: null } });
    expect(result.daily).toMatchObject({ labels: januaryDays, values: [{ data: expect.any(Array) }] });
  });
});

describe('the bounds of one request', () => {
  const ask = (demo: ReturnType<typeof setup>['demo'], integration: string, period: { start: string; end: string }, metrics: unknown[], extra: object = {}) =>
    rejection(demo.getMetricsData({ customer_integration: integration, ...period, ...extra, metrics } as Parameters<typeof demo.getMetricsData>[0]));

  it('refuses, with 422 naming the field and the limit, a period, a result or a request too large', async () => {
    const { demo, sandbox } = setup();
    // Once 4.5 GB and 52 s: a table of every pair of days over 20 years.
    const pairs = await ask(demo, sandbox.integration, { start: '2005-01-01', end: '2024-12-31' }, [{ id: 't', reference_key: 'ig:reach', component: 'datatable_v1', metrics: ['reach'], dimensions: ['date', 'date'] }]);
    expect(pairs.status).toBe(422);
    expect(pairs.errors).toEqual({ end: ['The period from start to end must not span more than 731 days in the sandbox.'] });
    // Once 18-30 s of a blocked event loop: a chart over the years 0001-9999.
    const ages = await ask(demo, sandbox.integration, { start: '0001-01-01', end: '9999-12-31' }, [metric('ig:reach_over_time', { id: 'c' })]);
    expect(Object.keys(ages.errors)).toEqual(['end']);
    const comparison = await ask(demo, sandbox.integration, JANUARY, [metric('ig:reach')], { comparison_start: '2020-01-01', comparison_end: '2024-01-01' });
    expect(comparison.errors).toEqual({ comparison_end: ['The period from comparison start to comparison end must not span more than 731 days in the sandbox.'] });
    const rows = await ask(demo, sandbox.integration, { start: '2024-01-01', end: '2024-12-31' }, [{ id: 't', reference_key: 'ig:reach', component: 'datatable_v1', metrics: ['reach'], dimensions: ['date', 'date'] }]);
    expect(rows.errors).toEqual({ 'metrics.0.dimensions': ['The metrics.0 result would have 133956 rows or points; the sandbox answers at most 5000: use fewer or shorter dimensions, or a shorter period.'] });
    const many = Array.from({ length: 40 }, (_, index) => ({ id: `m${index}`, reference_key: 'ig:reach', component: 'datatable_v1', metrics: ['reach', 'impressions'], dimensions: ['city'] }));
    const work = await ask(demo, sandbox.integration, { start: '2024-01-01', end: '2024-12-31' }, many);
    expect(work.errors).toEqual({ metrics: ['The request would compute 175680 values; the sandbox computes at most 50000 per request: ask for fewer metrics, dimensions or days.'] });
  });

  it('answers a metric whose id is __proto__ like any other', async () => {
    const { demo, sandbox } = setup();
    const result = await demo.getMetricsData({ customer_integration: sandbox.integration, ...JANUARY, metrics: [metric('ig:reach', { id: '__proto__' })] });
    expect(Object.keys(result)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(result, '__proto__')?.value).toMatchObject({ values: expect.any(Number) });
  });
});

describe('getMetricsDataAsync', () => {
  it('answers 200 at once and queues the same results for the webhook', async () => {
    // Delivery itself is tested in webhooks.test.ts: here it waits for longer than the test.
    const { demo, sandbox } = setup({ webhooks: { delayMs: 3_600_000 } });
    const request = { customer_integration: sandbox.integration, ...JANUARY, metrics: [metric('ig:reach', { id: 'reach' })] };
    const accepted = await demo.getMetricsDataAsync({ ...request, metrics_webhook_url: 'https://example.com/hook' });
    expect(accepted).toEqual({ message: expect.any(String) });
    const [delivery] = sandbox.webhooks.deliveries();
    expect(delivery).toMatchObject({ callback: 'metricsReady', url: 'https://example.com/hook', status: 'pending', customerIntegration: sandbox.integration, attempts: [] });
    expect(delivery!.payload).toEqual(await demo.getMetricsData(request));
    expect(validator.validate('/components/schemas/MetricsDataResponse', delivery!.payload)).toEqual([]);
  });

  it('validates like getMetricsData, plus the webhook URL', async () => {
    const { demo, sandbox } = setup();
    const error = await rejection(demo.getMetricsDataAsync({ customer_integration: sandbox.integration, ...JANUARY, metrics: [metric('ig:reach')], metrics_webhook_url: 'not a url' }));
    expect(error.status).toBe(422);
    expect(Object.keys(error.errors)).toEqual(['metrics_webhook_url']);
    const notWeb = await rejection(demo.getMetricsDataAsync({ customer_integration: sandbox.integration, ...JANUARY, metrics: [metric('ig:reach')], metrics_webhook_url: 'ftp://example.com/hook' }));
    expect(notWeb.status).toBe(422);
    expect(Object.keys(notWeb.errors)).toEqual(['metrics_webhook_url']);
    expect(sandbox.webhooks.deliveries()).toEqual([]);
  });
});

describe('the metrics README example', () => {
  it('runs against a sandbox with only the values the CLI prints', async () => {
    // The example itself (packages/metrics/README.md) is run against the CLI in cli.test.ts; this is
    // the same flow in-process, to name a failure precisely.
    const sandbox = createSandbox();
    try {
      const { createConnectClient } = await import('@reportei-connect/client');
      const connect = createConnectClient({ token: sandbox.merchantToken, baseUrl: sandbox.baseUrl, fetch: sandbox.fetch });
      const acme = connect.forCustomer(sandbox.customerToken);
      const result = await acme.getMetricsData({
        customer_integration: sandbox.integration,
        start: '2025-01-01',
        end: '2025-01-31',
        metrics: [metric('ig:reach', { id: 'reach' }), metric('ig:followers_gender')],
      });
      expect(result.reach?.values).toEqual(expect.any(Number));
    } finally {
      await sandbox.close();
    }
  });
});
