import { describe, expectTypeOf, test } from 'vitest';
import type {
  ApiError,
  ChartResult,
  ComponentResult,
  components,
  CreatedCustomer,
  Customer,
  CustomerIntegration,
  DatatableResult,
  IntegrationSession,
  MetricComponent,
  MetricRequest,
  MetricsDataRequest,
  MetricsDataResponse,
  MetricsResult,
  NumberResult,
  operations,
  PaginationMeta,
  paths,
  ResultOfComponent,
  ValidationError,
  webhooks,
} from '../src/index.js';

describe('generated types', () => {
  // The list of operations is pinned once, by the spec's own test; here, that the generated types are
  // wired to one another (a path's method is its operation) without repeating that list.
  test('paths, operations and webhooks come from the spec', () => {
    expectTypeOf<keyof paths>().toExtend<`/${string}`>();
    expectTypeOf<paths['/customers/{uuid}']['get']>().toEqualTypeOf<operations['getCustomer']>();
    expectTypeOf<paths['/metrics/get-data']['post']>().toEqualTypeOf<operations['getMetricsData']>();
    expectTypeOf<operations['getCustomer']['parameters']['path']>().toEqualTypeOf<{ uuid: string }>();
    expectTypeOf<webhooks>().toEqualTypeOf<Record<string, never>>();
  });
});

describe('aliases', () => {
  test('name the main schemas', () => {
    expectTypeOf<Customer>().toEqualTypeOf<components['schemas']['Customer']>();
    expectTypeOf<CreatedCustomer['api_token']>().toEqualTypeOf<string>();
    expectTypeOf<CustomerIntegration['status']>().toEqualTypeOf<'active' | 'expired' | 'revoked'>();
    expectTypeOf<IntegrationSession['session_link']>().toEqualTypeOf<string>();
    expectTypeOf<PaginationMeta['from']>().toEqualTypeOf<number | null>();
    expectTypeOf<ValidationError['errors']>().toEqualTypeOf<Record<string, string[]>>();
    expectTypeOf<ApiError>().toEqualTypeOf<{ message: string }>();
    expectTypeOf<MetricsDataRequest['metrics']>().toEqualTypeOf<MetricRequest[]>();
    expectTypeOf<MetricRequest['component']>().toEqualTypeOf<MetricComponent>();
    expectTypeOf<MetricsDataResponse[string]>().toEqualTypeOf<NumberResult | ChartResult | DatatableResult | ComponentResult>();
  });

  test('a bare object schema accepts any keys (MetricRequest.custom)', () => {
    expectTypeOf<{ custom_period: string }>().toMatchTypeOf<NonNullable<MetricRequest['custom']>>();
  });
});

describe('MetricsResult', () => {
  test('types each result by its component and keys only the requested ids', () => {
    type Result = MetricsResult<
      [{ id: 'reach'; component: 'number_v1' }, { id: 'gender'; component: 'chart_v1' }, { id: 'table'; component: 'datatable_v1' }, { id: 'kanban'; component: 'pipeline_v1' }]
    >;
    expectTypeOf<Result>().toEqualTypeOf<{ reach: NumberResult; gender: ChartResult; table: DatatableResult; kanban: ComponentResult }>();
    expectTypeOf<ResultOfComponent<MetricComponent>>().toEqualTypeOf<NumberResult | ChartResult | DatatableResult | ComponentResult>();
  });

  test('accepts metric requests with literal ids, and degrades to an index signature for string ids', () => {
    expectTypeOf<MetricsResult<readonly (MetricRequest & { id: 'reach'; component: 'number_v1' })[]>>().toEqualTypeOf<{ reach: NumberResult }>();
    expectTypeOf<MetricsResult<MetricRequest[]>>().toEqualTypeOf<{ [id: string]: NumberResult | ChartResult | DatatableResult | ComponentResult }>();
  });
});
