import { CONTROL_PREFIX, createSandbox } from '@reportei-connect/sandbox';
import type { TestProject } from 'vitest/node';
import { propertyFromEnv, type ResolvedTarget } from '../../src/target.js';
import './provided.js';

/**
 * The `sandbox` project's target: a fresh @reportei-connect/sandbox on a free loopback port, tested as
 * a disposable server with writes allowed, with its demo customer's token and active integration (the
 * run deletes that integration, and creates customers from generated bodies) and its control endpoints
 * for the scenarios (test/contract/scenarios.test.ts). CONNECT_BASE_URL
 * and the other target variables do not apply; CONNECT_PROPERTY_RUNS and CONNECT_PROPERTY_SEED do.
 */
export default async function setup(project: TestProject) {
  // Webhook attempts without the default delays (1 s before the first, 1 s before the retry): the contract
  // says nothing of them, the sandbox's own tests pin them, and the webhook scenario would only wait them out.
  const sandbox = createSandbox({ seed: 'contract-tests', webhooks: { delayMs: 0, retryDelayMs: 0 } });
  const server = await sandbox.listen({ port: 0, host: '127.0.0.1' });
  const target: ResolvedTarget = {
    kind: 'server',
    baseUrl: server.baseUrl,
    merchantToken: sandbox.merchantToken,
    customerToken: sandbox.customerToken,
    customerIntegration: sandbox.integration,
    allowWrites: true,
    disposable: true,
    // The scenarios move its clock, connect and expire integrations, and read its webhook deliveries.
    controlUrl: `${server.url}${CONTROL_PREFIX}`,
    property: propertyFromEnv(),
  };
  console.log(`Contract target: the sandbox at ${server.baseUrl} (its demo customer's token and integration, writes allowed, records disposable)`);
  project.provide('target', target);
  return async () => {
    await server.close();
    await sandbox.close();
  };
}
