import { ConnectError, createConnectClient } from '@reportei-connect/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import nodeConsole from 'node:console';
import { createServer } from 'node:http';
import { describe, expect, inject, it, onTestFinished, vi } from 'vitest';
import { createConnectQueryHooks } from '../src/index.js';

const mockUrl = inject('mockUrl');

/** A fresh QueryClient per render, without TanStack's own retries (the client already retries). */
function wrapper({ children }: { children: ReactNode }) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}

/** The URL of a loopback port that nothing listens on any more. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

/**
 * What happy-dom logs with console.error during the test, kept instead of printed. Its fetch logs a
 * request that failed as a browser's console would: `GET <url> 401 (Unauthorized)` for an error status,
 * the socket's error (ECONNREFUSED, with its stack) for no response. It logs to Node's own console, the
 * one vitest handed it when setting up the environment, which vitest does not capture.
 */
function consoleErrors() {
  const spy = vi.spyOn(nodeConsole, 'error').mockImplementation(() => undefined);
  onTestFinished(() => spy.mockRestore());
  return spy;
}

const merchant = () => createConnectClient({ token: 'merchant-token', baseUrl: mockUrl, retry: false });

/**
 * How long `waitFor` keeps trying. Its default, 1 s, gives up while Prism (a separate process) is still
 * answering on a machine whose cores other suites hold; this only turns a hang into a failure.
 */
const patiently = { timeout: 30_000 };

describe('createConnectQueryHooks against the mock', () => {
  it('runs a merchant query', async () => {
    const { useQuery } = createConnectQueryHooks(merchant());
    const { result } = renderHook(() => useQuery('get', '/customers', { params: { query: { per_page: 50 } } }), { wrapper });
    await waitFor(() => expect(result.current.isSuccess).toBe(true), patiently);
    expect(result.current.data?.data.length).toBeGreaterThan(0);
    expect(result.current.data?.meta.current_page).toBe(1);
  });

  it('runs a customer-scoped query with the client from forCustomer', async () => {
    const { useQuery } = createConnectQueryHooks(merchant().forCustomer('customer-token'));
    const { result } = renderHook(() => useQuery('get', '/customer-integrations'), { wrapper });
    await waitFor(() => expect(result.current.isSuccess).toBe(true), patiently);
    expect(result.current.data?.data[0]?.uuid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('runs a mutation', async () => {
    const { useMutation } = createConnectQueryHooks(merchant());
    const { result } = renderHook(() => useMutation('post', '/customers'), { wrapper });
    let created: Awaited<ReturnType<typeof result.current.mutateAsync>> | undefined;
    await act(async () => {
      created = await result.current.mutateAsync({ body: { name: 'Acme' } });
    });
    expect(created?.customer.api_token).toEqual(expect.any(String));
    await waitFor(() => expect(result.current.isSuccess).toBe(true), patiently);
  });

  it('surfaces an HTTP error as a ConnectError', async () => {
    // The merchant client sends no customer token, so a customer-scoped path answers 401.
    const errors = consoleErrors();
    const { useQuery } = createConnectQueryHooks(merchant());
    const { result } = renderHook(() => useQuery('get', '/customer-integrations/{uuid}', { params: { path: { uuid: '1b4e28ba-2fa1-4d2e-8d7a-5f6c7d8e9f00' } } }), { wrapper });
    await waitFor(() => expect(result.current.isError).toBe(true), patiently);
    const error = result.current.error;
    expect(error).toBeInstanceOf(ConnectError);
    expect(error).toMatchObject({ name: 'ConnectError', status: 401, method: 'GET', path: '/customer-integrations/{uuid}' });
    expect(error?.message).toMatch(/\S/);
    expect(errors.mock.calls).toEqual([[`GET ${mockUrl}/customer-integrations/1b4e28ba-2fa1-4d2e-8d7a-5f6c7d8e9f00 401 (Unauthorized)`]]);
  });

  it('surfaces a 422 with its field messages', async () => {
    const errors = consoleErrors();
    const { useMutation } = createConnectQueryHooks(merchant());
    const { result } = renderHook(() => useMutation('post', '/customers'), { wrapper });
    await act(async () => {
      await result.current.mutateAsync({ body: {} as { name: string } }).catch(() => undefined);
    });
    await waitFor(() => expect(result.current.isError).toBe(true), patiently);
    expect(result.current.error).toBeInstanceOf(ConnectError);
    expect(result.current.error).toMatchObject({ status: 422, method: 'POST', path: '/customers' });
    expect(result.current.error?.errors).toEqual(expect.any(Object));
    expect(errors.mock.calls).toEqual([[`POST ${mockUrl}/customers 422 (Unprocessable Entity)`]]);
  });

  it('surfaces a request that got no response as a ConnectError with status 0', async () => {
    const errors = consoleErrors();
    const { useQuery } = createConnectQueryHooks(createConnectClient({ token: 'merchant-token', baseUrl: await closedPortUrl(), retry: false }));
    const { result } = renderHook(() => useQuery('get', '/merchants/settings'), { wrapper });
    await waitFor(() => expect(result.current.isError).toBe(true), patiently);
    expect(result.current.error).toBeInstanceOf(ConnectError);
    expect(result.current.error).toMatchObject({ status: 0, method: 'GET', path: '/merchants/settings' });
    expect(errors.mock.calls).toEqual([[expect.objectContaining({ code: 'ECONNREFUSED' })]]);
  });

  it('refuses something that is not a client', () => {
    expect(() => createConnectQueryHooks({} as never)).toThrow(/pass a client from @reportei-connect\/client/);
  });
});
