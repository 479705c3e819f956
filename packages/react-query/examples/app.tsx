// A page of a Vite app (React + TypeScript): the merchant's customers, a button that adds one (the list
// refreshes with it), and the demo customer's integrations. It reads the sandbox's lines: put those of
// `pnpm sandbox --write-env .env` in the app's .env, and let Vite hand the three it uses to the page in
// vite.config.ts: envPrefix: ['VITE_', 'REPORTEI_CONNECT_BASE_URL', 'REPORTEI_CONNECT_TOKEN',
// 'REPORTEI_CONNECT_CUSTOMER_TOKEN']. A merchant token in a page is for the sandbox only: in
// production, keep it on a server you trust and call the API from there.
import { createConnectClient } from '@reportei-connect/client';
import { createConnectQueryHooks } from '@reportei-connect/react-query';
import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { createRoot } from 'react-dom/client';

const connect = createConnectClient({
  token: import.meta.env.REPORTEI_CONNECT_TOKEN,
  baseUrl: import.meta.env.REPORTEI_CONNECT_BASE_URL ?? 'http://127.0.0.1:4011/api',
});
const merchant = createConnectQueryHooks(connect);
// Customer-scoped calls (customer integrations, metrics) need the customer's client.
const acme = createConnectQueryHooks(connect.forCustomer(import.meta.env.REPORTEI_CONNECT_CUSTOMER_TOKEN ?? ''));

function Customers() {
  const queryClient = useQueryClient();
  const { data, error, isPending } = merchant.useQuery('get', '/customers', { params: { query: { per_page: 50 } } });
  const create = merchant.useMutation('post', '/customers', {
    // The list is cached under ['get', '/customers', ...]: marking it stale refetches it, new customer included.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['get', '/customers'] }),
  });
  if (isPending) return <p>Loading…</p>;
  if (error) return <p>Error {error.status}: {error.message}</p>; // a ConnectError
  return (
    <>
      <ul>{data.data.map((customer) => <li key={customer.uuid}>{customer.name}</li>)}</ul>
      <button onClick={() => create.mutate({ body: { name: 'Acme' } })} disabled={create.isPending}>Add Acme</button>
      {create.error?.errors?.name && <p>{create.error.errors.name.join(' ')}</p>}
    </>
  );
}

function Integrations() {
  const { data } = acme.useQuery('get', '/customer-integrations');
  return <ul>{data?.data.map((integration) => <li key={integration.uuid}>{integration.integration.name}</li>)}</ul>;
}

createRoot(document.getElementById('root')!).render(
  <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
    <Customers />
    <Integrations />
  </QueryClientProvider>,
);
