import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMock } from '@reportei-connect/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { environmentVariables } from '../../src/target.js';
import { listOperations, loadBundledSpec } from '../../src/spec.js';
import { startBrokenServer, type Answer } from './broken-server.js';

const require = createRequire(import.meta.url);
const packageRoot = fileURLToPath(new URL('../..', import.meta.url));

interface AssertionResult {
  title: string;
  fullName: string;
  status: 'passed' | 'failed' | 'skipped' | 'pending' | 'todo';
  failureMessages: string[];
}

/** Runs the contract project of this package in a child vitest, as `pnpm test:contract` would, with `env`. */
async function runContractSuite(env: Record<string, string>): Promise<{ exitCode: number | null; results: AssertionResult[] }> {
  const directory = mkdtempSync(join(tmpdir(), 'contract-self-test-'));
  try {
    const report = join(directory, 'report.json');
    const vitest = join(require.resolve('vitest/package.json'), '..', 'vitest.mjs');
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !(environmentVariables as readonly string[]).includes(name) && !name.startsWith('VITEST')));
    const child = spawn(process.execPath, [vitest, 'run', '--project', 'contract', '--reporter=json', `--outputFile=${report}`], {
      cwd: packageRoot,
      env: { ...inherited, ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const [exitCode] = (await once(child, 'exit')) as [number | null];
    const parsed = JSON.parse(readFileSync(report, 'utf8')) as { testResults: { assertionResults: AssertionResult[] }[] };
    return { exitCode, results: parsed.testResults.flatMap((file) => file.assertionResults) };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

const asObject = (value: unknown) => value as Record<string, Record<string, unknown>>;

/** Each way the loopback server breaks the spec, and what the suite must say about it. */
const breakages = {
  getMerchantSettings: {
    breaks: 'a field of the wrong type',
    success: (answer: Answer) => void (asObject(answer.body).merchant!.total_customers = '2'),
    failingTest: 'getMerchantSettings answers a documented 2xx with conforming JSON and headers, through the client',
    report: ['getMerchantSettings 200 /body/merchant/total_customers: expected type integer, got "2"'],
  },
  getCustomer: {
    breaks: 'a missing required field',
    success: (answer: Answer) => void delete asObject(answer.body).customer!.name,
    failingTest: 'getCustomer answers a documented 2xx with conforming JSON and headers, through the client',
    report: ['getCustomer 200 /body/customer/name: expected a value (required property), got nothing'],
  },
  getCustomerSettings: {
    breaks: 'an undocumented status',
    success: (answer: Answer) => void (answer.status = 203),
    failingTest: 'getCustomerSettings answers a documented 2xx with conforming JSON and headers, through the client',
    report: ['getCustomerSettings 203 /status: expected a documented 2xx (200), got 203, which the spec does not document for this operation'],
  },
  getCustomerIntegration: {
    breaks: 'a missing rate-limit header',
    success: (answer: Answer) => void delete answer.headers['x-ratelimit-remaining'],
    failingTest: 'getCustomerIntegration answers a documented 2xx with conforming JSON and headers, through the client',
    report: ['getCustomerIntegration 200 /headers/x-ratelimit-remaining: expected the X-RateLimit-Remaining header (required), got nothing'],
  },
  getMetricsDataAsync: {
    breaks: 'a 5xx',
    success: (answer: Answer) => {
      answer.status = 500;
      answer.body = { message: 'Server Error' };
    },
    failingTest: 'getMetricsDataAsync answers a documented 2xx with conforming JSON and headers, through the client',
    report: ['getMetricsDataAsync 500 /status: expected a documented 2xx (200), got 500, and a 5xx is always a failure: "{\\"message\\":\\"Server Error\\"}"'],
  },
  listCustomerIntegrations: {
    breaks: 'no check of the customer token',
    request: (headers: Record<string, string>) => void (headers['x-customer-token'] ??= 'anything'),
    failingTest: 'listCustomerIntegrations answers 401 without the x-customer-token header',
    report: ['listCustomerIntegrations 200 /status: expected 401, got 200'],
  },
};

// The setup starts Prism, then runs the whole contract suite in a child vitest: about 10 s on an idle
// machine, minutes when other suites hold both cores. The limits only turn a hang into a failure.
const SUITE_TIMEOUT = 600_000;

describe('the contract suite, pointed at a server that breaks the spec', () => {
  let results: AssertionResult[];
  let exitCode: number | null;
  const cleanUp: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    const document = loadBundledSpec();
    const mock = await startMock();
    cleanUp.push(mock.stop);
    const server = await startBrokenServer({ upstream: mock.url, document, operations: listOperations(document), breakages });
    cleanUp.push(server.close);
    ({ results, exitCode } = await runContractSuite({
      CONNECT_BASE_URL: server.url,
      CONNECT_TOKEN: 'self-test-merchant-token',
      CONNECT_CUSTOMER_TOKEN: 'self-test-customer-token',
      // The spec's example integration, which the stand-in server knows.
      CONNECT_CUSTOMER_INTEGRATION: '4addc0da-8583-4dbb-a0e9-c7e2e8470f50',
      CONNECT_ALLOW_WRITES: '1',
      CONNECT_PROPERTY_RUNS: '5',
    }));
  }, SUITE_TIMEOUT);
  afterAll(async () => {
    for (const stop of cleanUp.reverse()) await stop();
  }, 60_000);

  it('fails the run', () => {
    expect(exitCode).toBe(1);
  });

  it('fails exactly the tests of the broken operations, each named after its operation', () => {
    const failed = results.filter((result) => result.status === 'failed').map((result) => result.title);
    expect(failed.sort()).toEqual(Object.values(breakages).map((breakage) => breakage.failingTest).sort());
  });

  for (const [operationId, breakage] of Object.entries(breakages)) {
    it(`reports ${breakage.breaks} in ${operationId} with its status and JSON pointer, expected against actual`, () => {
      const result = results.find((candidate) => candidate.title === breakage.failingTest);
      expect(result?.status).toBe('failed');
      const message = result!.failureMessages.join('\n');
      for (const line of breakage.report) expect(message).toContain(line);
    });
  }

  it('ran the stateful flow and the other operations, and skipped only what a server must not get', () => {
    const passed = results.filter((result) => result.status === 'passed').map((result) => result.title);
    expect(passed).toContain('createCustomer answers a documented 2xx with conforming JSON and headers, through the client');
    expect(passed).toContain('deleteCustomer answers a documented 2xx with conforming JSON and headers, through the client');
    expect(passed).toContain('getMetricsData answers a documented 2xx with conforming JSON and headers, through the client');
    expect(passed).toContain('getCustomer answers 404 for an unknown uuid');
    const skipped = results.filter((result) => result.status === 'skipped').map((result) => result.title);
    expect(skipped).toContain('deleteCustomerIntegration answers a documented 2xx with conforming JSON and headers, through the client');
    expect(skipped).toContain('getMetricsData property: every body generated from the schema gets a conforming 2xx');
    expect(skipped.every((title) => /^(deleteCustomerIntegration|getMetricsData|getMetricsDataAsync|createCustomer) /.test(title))).toBe(true);
  });
});
