import { createConnectClient, type ConnectClientOptions } from '@reportei-connect/client';
import { expect, onTestFinished } from 'vitest';
import { createSandbox, type SandboxOptions } from '../src/index.js';
import { conformingFetch } from './conformance.js';

/**
 * A sandbox, with clients whose every response is checked against the spec: `connect` (the merchant)
 * and `demo` (the demo customer), and `call` for raw requests (method, path under the API, body).
 */
export function setup(options: SandboxOptions = {}, clientOptions: Partial<ConnectClientOptions> = {}) {
  const sandbox = createSandbox(options);
  const checked = conformingFetch(sandbox.fetch);
  // Once the test is over, the sandbox is closed, and every response it gave must have conformed to the
  // spec. Registered with the test that asked for it, not in a module-level afterEach: the test files
  // share one module cache (vitest.config.ts), so this module runs once for all of them.
  onTestFinished(async () => {
    await sandbox.close();
    expect(checked.violations).toEqual([]);
  });
  const connect = createConnectClient({
    token: sandbox.merchantToken,
    baseUrl: sandbox.baseUrl,
    fetch: checked.fetch,
    retry: false,
    ...clientOptions,
  });
  const demo = connect.forCustomer(sandbox.customerToken);
  const headers = (customerToken?: string): Record<string, string> => ({
    authorization: `Bearer ${sandbox.merchantToken}`,
    ...(customerToken !== undefined && { 'x-customer-token': customerToken }),
  });
  /** A raw request, as curl would send it, checked like the others. */
  const call = async (method: string, path: string, { body, customerToken, headers: extra = {} }: { body?: unknown; customerToken?: string; headers?: Record<string, string> } = {}) => {
    const response = await checked.fetch(`${sandbox.baseUrl}${path}`, {
      method,
      headers: { ...headers(customerToken), ...(body !== undefined && { 'content-type': 'application/json' }), ...extra },
      ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };
  /** A request to the sandbox's own endpoints (merchant token by default). */
  const control = async (method: string, path: string, body?: unknown, token = sandbox.merchantToken) => {
    const response = await sandbox.fetch(`${new URL(sandbox.baseUrl).origin}/__sandbox${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: await response.json() };
  };
  return { sandbox, connect, demo, call, control, exchanges: checked.exchanges, violations: checked.violations, clientFetch: checked.fetch };
}

/** The rejection of a promise, for assertions on errors. */
export async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected the promise to reject.');
}

export const DAY = 86_400;
