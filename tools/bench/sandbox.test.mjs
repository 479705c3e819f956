// The sandbox section's plumbing, on tiny inputs against servers started once: the fixed mix is answered
// with 2xx by both servers (a load test of error answers would measure the wrong thing), and each part of
// the section reports every figure the README shows. No timing is asserted.
import { startMock } from '@reportei-connect/mock';
import { createSandbox } from '@reportei-connect/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONNECTIONS, FEW_CUSTOMERS, checkMix, measureInProcess, measureListing, measureLoad, measureWrites, operationMix, startLoadGenerator, startSandboxServer } from './sandbox.mjs';

/** @type {import('@reportei-connect/mock').RunningMock} */
let prism;
/** @type {Awaited<ReturnType<typeof startSandboxServer>>} */
let sandboxServer;
/** @type {ReturnType<typeof startLoadGenerator>} */
let load;
const log = () => undefined;

beforeAll(async () => {
  [prism, sandboxServer] = await Promise.all([startMock(), startSandboxServer()]);
  load = startLoadGenerator();
});
afterAll(async () => {
  load?.stop();
  await Promise.all([prism?.stop(), sandboxServer?.stop()]);
});

describe('operationMix', () => {
  it('sends one request per operation, every one answered 2xx by the sandbox and by Prism', async () => {
    const sandbox = createSandbox({ seed: 'bench' });
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
      await sandbox.close();
    }
  });
});

describe('measureLoad', () => {
  it('loads both servers from another process, every answer a 2xx, with latencies and the load generator\'s CPU', async () => {
    const mix = operationMix(sandboxServer);
    // Two connections, each through the whole mix twice: a fixed amount, whatever the machine's speed.
    const connections = 2;
    const amount = connections * mix.length * 2;
    const results = await measureLoad(load, { prism: prism.url, sandbox: sandboxServer.baseUrl }, mix, { rounds: 1, length: { amount }, warmup: { amount: connections }, connections, log });
    for (const server of [results.prism, results.sandbox]) {
      expect(server.requests, server.name).toBe(amount);
      expect(server.failed, server.name).toBe(0);
      expect(server.latencyMs.p99, server.name).toBeGreaterThanOrEqual(server.latencyMs.p50);
      expect(server.loadGeneratorCpu, server.name).toBeGreaterThan(0);
    }
    expect(results.sandboxToPrism).toBeGreaterThan(0);
    // pnpm bench loads with the README's 50 connections (issue 15).
    expect(CONNECTIONS).toBe(50);
  });
});

describe('measureInProcess', () => {
  it("times the sandbox's in-process fetch for every operation of the mix", async () => {
    const results = await measureInProcess({ rounds: 1, calls: 2, log });
    expect(results.operations.map((row) => row.name)).toEqual(operationMix(sandboxServer).map((request) => request.operation));
    expect(results.callsPerRound).toBe(2);
  });
});

describe('measureListing', () => {
  it('lists a page with few customers stored and the first and last pages with many', async () => {
    const results = await measureListing({ rounds: 1, calls: 2, many: 30, log });
    expect(results.rows.map((row) => row.name)).toEqual([`${FEW_CUSTOMERS} customers, page 1`, '30 customers, page 1', '30 customers, page 3']);
    expect(results.ratio).toBeGreaterThan(0);
  });
});

describe('measureWrites', () => {
  it('creates customers against state files with few and with many customers stored', async () => {
    const results = await measureWrites({ rounds: 1, calls: 2, many: 30, log });
    expect(results.rows.map((row) => row.name)).toEqual([`${FEW_CUSTOMERS} customers`, '30 customers']);
    expect(results.ratio).toBeGreaterThan(0);
  });
});
