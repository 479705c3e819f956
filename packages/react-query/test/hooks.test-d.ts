import { createConnectClient, type CustomerIntegrationPage, type CustomerPage, type MetricsDataResponse } from '@reportei-connect/client';
import { describe, expectTypeOf, it } from 'vitest';
import { type ConnectErrorData, createConnectQueryHooks } from '../src/index.js';

const connect = createConnectClient({ token: 'token' });
const merchantHooks = createConnectQueryHooks(connect);
const customerHooks = createConnectQueryHooks(connect.forCustomer('customer-token'));

describe('createConnectQueryHooks types', () => {
  it('types data from the spec and every error as ConnectError', () => {
    const customers = merchantHooks.useQuery('get', '/customers', { params: { query: { per_page: 50 } } });
    expectTypeOf(customers.data).toEqualTypeOf<CustomerPage | undefined>();
    expectTypeOf(customers.error).toEqualTypeOf<ConnectErrorData | null>();

    const integrations = customerHooks.useQuery('get', '/customer-integrations');
    expectTypeOf(integrations.data).toEqualTypeOf<CustomerIntegrationPage | undefined>();
  });

  it('types mutation variables and results', () => {
    const create = merchantHooks.useMutation('post', '/customers');
    create.mutate({ body: { name: 'Acme' } });
    // @ts-expect-error a customer needs a name
    create.mutate({ body: {} });
    // @ts-expect-error the name is a string
    create.mutate({ body: { name: 42 } });
    expectTypeOf(create.error).toEqualTypeOf<ConnectErrorData | null>();

    const metrics = customerHooks.useMutation('post', '/metrics/get-data');
    expectTypeOf(metrics.data).toExtend<MetricsDataResponse | undefined>();
  });

  it('rejects unknown paths, methods and missing parameters', () => {
    // @ts-expect-error no such path
    merchantHooks.useQuery('get', '/customer');
    // @ts-expect-error /merchants/settings has no POST
    merchantHooks.useMutation('post', '/merchants/settings');
    // @ts-expect-error the uuid path parameter is required
    merchantHooks.useQuery('get', '/customers/{uuid}');
    // @ts-expect-error not a client
    createConnectQueryHooks({});
  });
});
