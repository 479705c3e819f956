import type { ChartResult, ComponentResult, Customer, CustomerIntegration, DatatableResult, MetricRequest, NumberResult } from '@reportei-connect/types';
import { describe, expectTypeOf, test } from 'vitest';
import {
  type CallOptions,
  ConnectAbortError,
  type ConnectClient,
  type ConnectClientOptions,
  ConnectConnectionError,
  ConnectError,
  ConnectResponseTooLargeError,
  ConnectTimeoutError,
  createConnectClient,
  type CustomerClient,
  type MetricsResult,
  type NeedsForCustomer,
  paginate,
  retryAfterSeconds,
} from '../src/index.js';
import { type MetricsWebhookError, parseMetricsWebhook } from '../src/webhooks.js';

const connect = createConnectClient({ token: 't' });
const acme = connect.forCustomer('c');

describe('methods', () => {
  test('take path, query and body fields in one object and return the success body', async () => {
    expectTypeOf(await connect.getMerchantSettings()).toHaveProperty('merchant');
    const page = await connect.listCustomers({ page: 2, per_page: 50 });
    expectTypeOf(page.data).toEqualTypeOf<Customer[]>();
    expectTypeOf(page.meta.last_page).toEqualTypeOf<number>();
    const { customer } = await connect.createCustomer({ name: 'Acme' });
    expectTypeOf(customer.api_token).toEqualTypeOf<string>();
    expectTypeOf(await connect.updateCustomer({ uuid: 'u', name: 'n' })).toEqualTypeOf<{ customer: Customer }>();
    expectTypeOf(connect.getCustomer).parameter(1).toEqualTypeOf<CallOptions | undefined>();
    expectTypeOf<CallOptions>().toEqualTypeOf<{
      signal?: AbortSignal;
      timeoutMs?: number;
      headers?: Record<string, string> | Headers;
      retry?: { retries?: number; minDelayMs?: number; maxDelayMs?: number } | false;
      maxResponseBytes?: number;
    }>();
    expectTypeOf(await acme.getCustomerIntegration({ uuid: 'u' })).toEqualTypeOf<{ customer_integration: CustomerIntegration }>();
    expectTypeOf(acme.deleteCustomerIntegration).parameter(0).toEqualTypeOf<{ uuid: string; session_id: string }>();
  });

  test('a missing required field or a wrong type is a compile error', () => {
    // @ts-expect-error name is required
    void connect.createCustomer({});
    // @ts-expect-error name is a string
    void connect.createCustomer({ name: 1 });
    // @ts-expect-error uuid is required
    void connect.getCustomer({});
    // @ts-expect-error per_page is a number
    void connect.listCustomers({ per_page: '50' });
    // @ts-expect-error session_id is required
    void acme.deleteCustomerIntegration({ uuid: 'u' });
  });

  test('customer-scoped operations can be called only on the customer client; on the merchant client their type points to forCustomer', () => {
    // @ts-expect-error getMetricsData needs the customer token (the message: customer-methods.test.ts)
    void connect.getMetricsData({ customer_integration: 'i', start: '2025-01-01', end: '2025-01-31', metrics: [] });
    // @ts-expect-error listCustomerIntegrations needs the customer token
    void connect.listCustomerIntegrations();
    const detached = connect.getCustomerSettings;
    // @ts-expect-error detached, it cannot be called either
    void detached();
    expectTypeOf(connect.getCustomerSettings).toEqualTypeOf<NeedsForCustomer<'getCustomerSettings'>>();
    expectTypeOf(connect.getCustomerSettings).returns.toBeNever();
    expectTypeOf(acme).toHaveProperty('getCustomerSettings');
    expectTypeOf(acme).toHaveProperty('listCustomers');
    expectTypeOf(connect.forCustomer).returns.toEqualTypeOf<CustomerClient>();
    expectTypeOf(connect).toEqualTypeOf<ConnectClient>();
  });

  test('methods are plain functions that can be detached', async () => {
    const list = connect.listCustomers;
    expectTypeOf(await list()).toHaveProperty('data');
  });
});

describe('getMetricsData', () => {
  const request = { customer_integration: 'ci', start: '2024-01-01', end: '2024-01-31' };

  test('types each result by its component and keys only the requested ids', async () => {
    const result = await acme.getMetricsData({
      ...request,
      metrics: [
        { id: 'replies', reference_key: 'ig:story_replies', component: 'number_v1', metrics: ['replies'], dimensions: ['stories'] },
        { id: 'gender', reference_key: 'ig:followers_gender', component: 'chart_v1', metrics: ['followers'] },
        { id: 'clicks', reference_key: 'ig:clicks_breakdown', component: 'datatable_v1', metrics: ['count', 'ctr'] },
        { id: 'pipe', reference_key: 'pd:pipeline', component: 'pipeline_v1', metrics: ['deals'] },
      ],
    });
    expectTypeOf(result.replies).toEqualTypeOf<NumberResult>();
    expectTypeOf(result.gender).toEqualTypeOf<ChartResult>();
    expectTypeOf(result.clicks).toEqualTypeOf<DatatableResult>();
    expectTypeOf(result.pipe).toEqualTypeOf<ComponentResult>();
    // @ts-expect-error only requested ids are keys
    void result.reach;
  });

  test('works with `as const` arrays and with metrics built elsewhere with literal id and component', async () => {
    const metrics = [{ id: 'a', reference_key: 'ig:reach', component: 'number_v1', metrics: ['reach'] }] as const;
    const fromConst = await acme.getMetricsData({ ...request, metrics });
    expectTypeOf(fromConst.a).toEqualTypeOf<NumberResult>();

    const metric = <const Id extends string>(id: Id) =>
      ({ id, reference_key: 'ig:reach', component: 'chart_v1', metrics: ['reach'] }) as MetricRequest & { id: Id; component: 'chart_v1' };
    const built = await acme.getMetricsData({ ...request, metrics: [metric('reach'), metric('other')] });
    expectTypeOf(built.reach).toEqualTypeOf<ChartResult>();
    expectTypeOf(built.other).toEqualTypeOf<ChartResult>();
    // @ts-expect-error not requested
    void built.missing;
  });

  test('MetricsResult is reusable', () => {
    expectTypeOf<MetricsResult<[{ id: 'n'; component: 'number_v1' }]>>().toEqualTypeOf<{ n: NumberResult }>();
  });

  test('a metric with a wrong component or without reference_key is a compile error', () => {
    // @ts-expect-error unknown component
    void acme.getMetricsData({ ...request, metrics: [{ id: 'x', reference_key: 'ig:x', component: 'numbr_v1', metrics: ['x'] }] });
    // @ts-expect-error reference_key is required
    void acme.getMetricsData({ ...request, metrics: [{ id: 'x', component: 'number_v1', metrics: ['x'] }] });
    // @ts-expect-error start is required
    void acme.getMetricsData({ customer_integration: 'ci', end: '2024-01-31', metrics: [] });
  });

  test('metrics typed as plain MetricRequest[] give every id the union of results', async () => {
    const metrics: MetricRequest[] = [];
    const result = await acme.getMetricsData({ ...request, metrics });
    expectTypeOf(result['any-id']).toEqualTypeOf<NumberResult | ChartResult | DatatableResult | ComponentResult | undefined>();
  });
});

describe('paginate', () => {
  test('yields the items of a list method', async () => {
    for await (const customer of paginate(connect.listCustomers, { per_page: 100 })) expectTypeOf(customer).toEqualTypeOf<Customer>();
    for await (const integration of paginate(acme.listCustomerIntegrations)) expectTypeOf(integration).toEqualTypeOf<CustomerIntegration>();
  });

  test('rejects methods that are not lists and params they do not take', () => {
    // @ts-expect-error getCustomer does not answer pages
    void paginate(connect.getCustomer, { uuid: 'u' });
    // @ts-expect-error per_page is a number
    void paginate(connect.listCustomers, { per_page: 'all' });
  });
});

describe('createConnectClient', () => {
  test('options are optional (token and baseUrl may come from the environment); baseUrl may be a URL', () => {
    expectTypeOf(createConnectClient()).toEqualTypeOf<ConnectClient>();
    expectTypeOf(createConnectClient({ baseUrl: new URL('http://127.0.0.1:4010') })).toEqualTypeOf<ConnectClient>();
    expectTypeOf<ConnectClientOptions['token']>().toEqualTypeOf<string | undefined>();
    // @ts-expect-error timeoutMs is a number
    void createConnectClient({ timeoutMs: '1000' });
  });
});

describe('ConnectError', () => {
  test('status-0 failures are subclasses, told apart by instanceof or name', () => {
    const error: unknown = undefined;
    expectTypeOf<ConnectTimeoutError>().toExtend<ConnectError>();
    expectTypeOf<ConnectAbortError>().toExtend<ConnectError>();
    expectTypeOf<ConnectConnectionError>().toExtend<ConnectError>();
    expectTypeOf<ConnectConnectionError['code']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<ConnectTimeoutError['name']>().toEqualTypeOf<'ConnectTimeoutError'>();
    expectTypeOf<ConnectError['name']>().toEqualTypeOf<'ConnectError' | 'ConnectTimeoutError' | 'ConnectAbortError' | 'ConnectConnectionError' | 'ConnectResponseTooLargeError'>();
    expectTypeOf<ConnectResponseTooLargeError>().toExtend<ConnectError>();
    if (error instanceof ConnectError && error.name === 'ConnectConnectionError') expectTypeOf(error.status).toEqualTypeOf<number>();
  });

  test('retryAfterSeconds reads a header value', () => {
    expectTypeOf(retryAfterSeconds).toEqualTypeOf<(value: string | null | undefined, now?: number) => number | undefined>();
    expectTypeOf(retryAfterSeconds(new Headers().get('retry-after'))).toEqualTypeOf<number | undefined>();
  });

  test('exposes the failure details', () => {
    const error = new ConnectError('x', { status: 0, method: 'GET', path: '/' });
    expectTypeOf(error.status).toEqualTypeOf<number>();
    expectTypeOf(error.errors).toEqualTypeOf<Record<string, string[]> | undefined>();
    expectTypeOf(error.retryAfter).toEqualTypeOf<number | undefined>();
    expectTypeOf(error.rateLimit).toEqualTypeOf<{ limit: number; remaining: number } | undefined>();
    expectTypeOf(error).toMatchTypeOf<Error>();
  });
});

describe('raw', () => {
  test('is an openapi-fetch client typed by the spec', async () => {
    const { data } = await connect.raw.GET('/customers/{uuid}', { params: { path: { uuid: 'u' } } });
    expectTypeOf(data).toEqualTypeOf<{ customer: Customer } | undefined>();
  });
});

describe('webhooks', () => {
  test('parseMetricsWebhook takes any body and an optional maxBytes', () => {
    expectTypeOf(parseMetricsWebhook).parameter(0).toEqualTypeOf<unknown>();
    expectTypeOf(parseMetricsWebhook).parameter(1).toEqualTypeOf<{ maxBytes?: number | undefined } | undefined>();
    expectTypeOf<MetricsWebhookError['issues']>().toEqualTypeOf<{ pointer: string; message: string }[]>();
  });
});
