// The sandbox section's plumbing: the fixed mix is answered with 2xx by both servers (a load test of
// error answers would measure the wrong thing), and a short run of the whole section reports every
// figure the README shows. No timing is asserted.
import { startMock } from '@reportei-connect/mock';
import { createSandbox } from '@reportei-connect/sandbox';
import { describe, expect, it } from 'vitest';
import { benchSandbox, checkMix, operationMix } from './sandbox.mjs';

describe('operationMix', () => {
  it('sends one request per operation, every one answered 2xx by the sandbox and by Prism', async () => {
    const sandbox = createSandbox({ seed: 'bench' });
    const prism = await startMock();
    try {
      const mix = operationMix(sandbox);
      expect(mix.map((request) => request.operation)).toEqual([
        'getMerchantSettings', 'listCustomers', 'getCustomer', 'updateCustomer', 'getCustomerSettings', 'listCustomerIntegrations', 'getCustomerIntegration', 'getMetricsData',
      ]);
      await checkMix('sandbox', sandbox.baseUrl, mix, sandbox.fetch);
      await checkMix('Prism', prism.url, mix);
      const unauthenticated = { operation: 'x', method: 'GET', path: '/merchants/settings', headers: {} };
      await expect(checkMix('sandbox', sandbox.baseUrl, [unauthenticated], sandbox.fetch)).rejects.toThrow(/x \(GET \/merchants\/settings\) answered 401/);
    } finally {
      await prism.stop();
      await sandbox.close();
    }
  }, 120_000);
});

describe('benchSandbox', () => {
  it('loads both servers from another process and times the in-process fetch and the listing', async () => {
    const results = await benchSandbox({ sandboxRounds: 1, sandboxSeconds: 1, sandboxWarmupSeconds: 1, sandboxCalls: 5, log: () => undefined });
    for (const server of [results.load.prism, results.load.sandbox]) {
      expect(server.requests).toBeGreaterThan(0);
      expect(server.failed).toBe(0);
      expect(server.latencyMs.p99).toBeGreaterThanOrEqual(server.latencyMs.p50);
      expect(server.loadGeneratorCpu).toBeGreaterThan(0);
    }
    expect(results.connections).toBe(50);
    expect(results.inProcess.operations).toHaveLength(8);
    expect(results.listing.rows.map((row) => row.name)).toEqual(['10 customers, page 1', '10000 customers, page 1', '10000 customers, page 1000']);
  }, 180_000);
});
