import { type ChartResult, type ComponentResult, createConnectClient, type DatatableResult, type NumberResult } from '@reportei-connect/client';
import { describe, expectTypeOf, it } from 'vitest';
import { instagram_business } from '../src/generated/integrations/instagram_business.js';
import { metric } from '../src/index.js';

const acme = createConnectClient({ token: 'merchant-token' }).forCustomer('customer-token');
const period = { customer_integration: '1b4e28ba-2fa1-4d2e-8d7a-5f6c7d8e9f00', start: '2025-01-01', end: '2025-01-31' };

describe('catalogued metrics through the client', () => {
  it('types each result by the component of its metric, keyed by the literal ids', async () => {
    const reach = metric('ig:reach', { id: 'reach' });
    const gender = metric('ig:followers_gender', { id: 'gender' });
    const cities = instagram_business.metric('ig:followers_city', { id: 'cities' });
    const pipeline = metric('pipedrive:pipeline_summary', { id: 'pipeline' });
    const result = await acme.getMetricsData({ ...period, metrics: [reach, gender, cities, pipeline] });
    expectTypeOf(result.reach).toEqualTypeOf<NumberResult>();
    expectTypeOf(result.gender).toEqualTypeOf<ChartResult>();
    expectTypeOf(result.cities).toEqualTypeOf<DatatableResult>();
    expectTypeOf(result.pipeline).toEqualTypeOf<ComponentResult>();
    expectTypeOf(result.reach.values).toEqualTypeOf<NumberResult['values']>();
    // @ts-expect-error an id that was not requested is not a key
    void result.impressions;
  });

  it('types the example of the README: a literal id next to a fresh uuid', async () => {
    const gender = metric('ig:followers_gender');
    const reach = metric('ig:reach', { id: 'reach' });
    const r = await acme.getMetricsData({ ...period, metrics: [reach, gender] });
    expectTypeOf(r.reach).toEqualTypeOf<NumberResult>();
    expectTypeOf(r.reach.values).toEqualTypeOf<number | null>();
  });

  it('types inline calls of an integration\'s metric() by their own component, as when declared first', async () => {
    const result = await acme.getMetricsData({
      ...period,
      metrics: [instagram_business.metric('ig:reach', { id: 'reach' }), instagram_business.metric('ig:followers_gender', { id: 'gender' })],
    });
    expectTypeOf(result.reach).toEqualTypeOf<NumberResult>();
    expectTypeOf(result.gender).toEqualTypeOf<ChartResult>();
    expectTypeOf(result.gender.labels).toEqualTypeOf<ChartResult['labels']>();
    // @ts-expect-error an id that was not requested is not a key
    void result.other;
  });

  it('types inline calls of the root metric() by their own component (the issue\'s example)', async () => {
    const result = await acme.getMetricsData({
      ...period,
      metrics: [metric('ig:reach', { id: 'reach' }), metric('ig:followers_gender', { id: 'gender' })],
    });
    expectTypeOf(result.reach).toEqualTypeOf<NumberResult>();
    expectTypeOf(result.gender).toEqualTypeOf<ChartResult>();
    expectTypeOf(result.gender.labels).toEqualTypeOf<ChartResult['labels']>();
  });

  it('keys results by string when the ids are fresh uuids (possibly absent, under noUncheckedIndexedAccess)', async () => {
    const reach = metric('ig:reach');
    const result = await acme.getMetricsData({ ...period, metrics: [reach] });
    expectTypeOf(result[reach.id]).toEqualTypeOf<NumberResult | undefined>();
  });
});
