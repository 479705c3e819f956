// The sandbox next to the Prism mock: what each serves on loopback under the same load, what a call of
// the sandbox's in-process `fetch` costs, and whether listing a page costs more with more data stored.
//
// - Load: each server runs in a process of its own (Prism as @reportei-connect/mock starts it, the
//   sandbox as sandbox-server.mjs), and the load generator (load.mjs, autocannon) in another, so on a
//   2-core machine the server has one core and the generator the other; the generator's own CPU use is
//   reported, to show it was not the bottleneck. 50 connections each cycle through the same fixed mix
//   of operations (MIX), every answer a 2xx (checked first, and counted). After a warm-up of each,
//   rounds alternate the two servers; figures are medians over rounds.
// - In-process: the same mix through `sandbox.fetch`, sequential, in this process (wall-clock and CPU
//   time per call), as a test suite uses it.
// - Data: `listCustomers` (pages of 10: the first, and with 10,000 customers the last too) with 10 and
//   with 10,000 customers stored, interleaved; the ratio is the dearest page's with many customers to
//   the page's with few, round by round. And `createCustomer` against a --state file (each write on
//   disk before it is answered) with 10 and with 10,000 customers stored, likewise.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMock } from '@reportei-connect/mock';
import { createSandbox } from '@reportei-connect/sandbox';
import { median, pairedRatio, relativeSpread, round } from './stats.mjs';

/** Concurrent connections of the load test (issue 15). */
export const CONNECTIONS = 50;
/** How many customers the two sandboxes of the data test hold. */
export const FEW_CUSTOMERS = 10;
export const MANY_CUSTOMERS = 10_000;
/** Interleaved rounds of the listing test at least: its figures are small, and a busy machine's noise large. */
const LISTING_ROUNDS = 15;
/** A page size that the store with few customers fills too, so both pages hold as many customers. */
const PAGE_SIZE = 10;

/**
 * @typedef {{ merchantToken: string, demo: { uuid: string, token: string, integration: string } }} Identity
 * @typedef {{ operation: string, method: string, path: string, headers: Record<string, string>, body?: string }} MixRequest
 */

/**
 * The fixed mix, one request per operation, in the order each connection sends them: every read of the
 * API, a write that leaves the data as it was (renaming the demo customer to its own name), and a
 * metrics query. Valid for both servers: the sandbox's demo customer and integration are also
 * well-formed ids for Prism, which answers the spec's examples whatever the ids.
 * @param {Identity} identity
 * @returns {MixRequest[]}
 */
export function operationMix({ merchantToken, demo }) {
  const merchant = { authorization: `Bearer ${merchantToken}`, accept: 'application/json' };
  const customer = { ...merchant, 'x-customer-token': demo.token };
  const json = { 'content-type': 'application/json' };
  return [
    { operation: 'getMerchantSettings', method: 'GET', path: '/merchants/settings', headers: merchant },
    { operation: 'listCustomers', method: 'GET', path: '/customers?page=1&per_page=15', headers: merchant },
    { operation: 'getCustomer', method: 'GET', path: `/customers/${demo.uuid}`, headers: merchant },
    { operation: 'updateCustomer', method: 'PUT', path: `/customers/${demo.uuid}`, headers: { ...merchant, ...json }, body: JSON.stringify({ name: 'Demo Customer' }) },
    { operation: 'getCustomerSettings', method: 'GET', path: '/customers/settings', headers: customer },
    { operation: 'listCustomerIntegrations', method: 'GET', path: '/customer-integrations?page=1&per_page=15', headers: customer },
    { operation: 'getCustomerIntegration', method: 'GET', path: `/customer-integrations/${demo.integration}`, headers: customer },
    {
      operation: 'getMetricsData',
      method: 'POST',
      path: '/metrics/get-data',
      headers: { ...customer, ...json },
      body: JSON.stringify({
        customer_integration: demo.integration,
        start: '2025-01-01',
        end: '2025-01-31',
        metrics: [{ id: 'reach', reference_key: 'ig:reach', metrics: ['reach'], component: 'number_v1' }],
      }),
    },
  ];
}

/**
 * Sends each request of the mix once and throws unless every answer is a 2xx: a load test of error
 * answers would measure the wrong thing.
 * @param {string} name
 * @param {string} baseUrl
 * @param {MixRequest[]} mix
 * @param {typeof fetch} [fetchImpl]
 */
export async function checkMix(name, baseUrl, mix, fetchImpl = fetch) {
  for (const { operation, method, path, headers, body } of mix) {
    const response = await fetchImpl(`${baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    if (!response.ok) throw new Error(`${name}: ${operation} (${method} ${path}) answered ${response.status}: ${text.slice(0, 300)}`);
  }
}

/** Starts sandbox-server.mjs in a child process, with `args` (such as `--rate-limit-per-second 20`). @param {string[]} [args] */
export async function startSandboxServer(args = []) {
  const child = fork(join(import.meta.dirname, 'sandbox-server.mjs'), args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [info] = /** @type {[{ baseUrl: string } & Identity]} */ (await once(child, 'message'));
  return {
    ...info,
    stop: async () => {
      const exited = once(child, 'exit');
      child.disconnect();
      await exited;
    },
  };
}

/** The load generator in a child process; `run` sends it one job. */
export function startLoadGenerator() {
  const child = fork(join(import.meta.dirname, 'load.mjs'), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return {
    /** @param {import('./load.mjs').LoadJob} job @returns {Promise<LoadResult>} */
    async run(job) {
      const reply = once(child, 'message');
      child.send(job);
      const [message] = /** @type {[{ result?: LoadResult, error?: string }]} */ (await reply);
      if (!message.result) throw new Error(`load generator: ${message.error}`);
      return message.result;
    },
    stop: () => child.disconnect(),
  };
}

/**
 * @typedef {{ requests: number, seconds: number, requestsPerSecond: number, latencyMs: { p50: number, p90: number, p99: number, max: number }, non2xx: number, errors: number, timeouts: number, loadGeneratorCpu: number }} LoadResult
 */

/**
 * Medians over rounds of one server's load results.
 * @param {string} name
 * @param {LoadResult[]} runs
 */
function summariseLoad(name, runs) {
  const rps = runs.map((run) => run.requestsPerSecond);
  return {
    name,
    requestsPerSecond: round(median(rps), 0),
    spread: round(relativeSpread(rps), 3),
    latencyMs: {
      p50: round(median(runs.map((run) => run.latencyMs.p50)), 1),
      p99: round(median(runs.map((run) => run.latencyMs.p99)), 1),
    },
    requests: runs.reduce((sum, run) => sum + run.requests, 0),
    failed: runs.reduce((sum, run) => sum + run.non2xx + run.errors + run.timeouts, 0),
    loadGeneratorCpu: round(Math.max(...runs.map((run) => run.loadGeneratorCpu)), 2),
    perRound: runs.map((run) => ({ requestsPerSecond: round(run.requestsPerSecond, 0), p50: run.latencyMs.p50, p99: run.latencyMs.p99 })),
  };
}

/**
 * Times `calls` sequential calls of `call`: wall-clock and CPU microseconds per call.
 * @param {() => Promise<unknown>} call
 * @param {number} calls
 */
async function timeCalls(call, calls) {
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) await call();
  const wall = Number(process.hrtime.bigint() - start) / 1000 / calls;
  const cpu = process.cpuUsage(cpuStart);
  return { wall, cpu: (cpu.user + cpu.system) / calls };
}

/**
 * Interleaved rounds over named calls; medians per name.
 * @param {[string, () => Promise<unknown>][]} named
 * @param {number} rounds
 * @param {number} calls
 */
async function interleave(named, rounds, calls) {
  /** @type {{ wall: number, cpu: number }[][]} */
  const times = named.map(() => []);
  for (let roundIndex = 0; roundIndex < rounds; roundIndex++) {
    for (let offset = 0; offset < named.length; offset++) {
      const index = (roundIndex + offset) % named.length;
      const [, call] = /** @type {[string, () => Promise<unknown>]} */ (named[index]);
      times[index]?.push(await timeCalls(call, calls));
    }
  }
  return named.map(([name], index) => {
    const list = times[index] ?? [];
    return {
      name,
      microseconds: round(median(list.map((time) => time.wall)), 1),
      cpuMicroseconds: round(median(list.map((time) => time.cpu)), 1),
      spread: round(relativeSpread(list.map((time) => time.wall)), 3),
      perRoundMicroseconds: list.map((time) => round(time.wall, 1)),
    };
  });
}

/**
 * A request of the mix as a call of an in-process sandbox's fetch, which must answer a 2xx.
 * @param {import('@reportei-connect/sandbox').Sandbox} sandbox
 * @param {MixRequest} request
 */
function inProcessCall(sandbox, { operation, method, path, headers, body }) {
  const url = `${sandbox.baseUrl}${path}`;
  return async () => {
    const response = await sandbox.fetch(url, { method, headers, body });
    const parsed = await response.json();
    if (!response.ok) throw new Error(`in-process ${operation} answered ${response.status}`);
    return parsed;
  };
}

/**
 * A sandbox in this process holding `customers` customers (the demo customer and new ones), in memory
 * or in `stateFile`.
 * @param {number} customers
 * @param {string} [stateFile]
 */
async function sandboxWith(customers, stateFile) {
  const sandbox = createSandbox({ seed: 'bench', rateLimit: 1_000_000_000, now: '2030-01-01T00:00:00Z', stateFile });
  const headers = { authorization: `Bearer ${sandbox.merchantToken}`, 'content-type': 'application/json' };
  for (let index = 1; index < customers; index++) {
    const response = await sandbox.fetch(`${sandbox.baseUrl}/customers`, { method: 'POST', headers, body: JSON.stringify({ name: `Customer ${index}` }) });
    if (response.status !== 201) throw new Error(`creating customer ${index} answered ${response.status}`);
  }
  const list = await sandbox.fetch(`${sandbox.baseUrl}/customers?per_page=1`, { headers });
  const { meta } = /** @type {{ meta: { total: number } }} */ (await list.json());
  if (meta.total !== customers) throw new Error(`the sandbox holds ${meta.total} customers, not ${customers}`);
  return sandbox;
}

/** @param {import('./load.mjs').LoadLength} length */
const describeLength = (length) => ('amount' in length ? `${length.amount} requests` : `${length.seconds} s`);

/**
 * The load test: both servers must answer the mix with 2xx; after a warm-up of each, rounds alternate
 * them, each run from `connections` connections cycling through the mix. Medians per server.
 * @param {ReturnType<typeof startLoadGenerator>} load
 * @param {{ prism: string, sandbox: string }} baseUrls
 * @param {MixRequest[]} mix
 * @param {{ rounds: number, length: import('./load.mjs').LoadLength, warmup: import('./load.mjs').LoadLength, connections?: number, log: (line: string) => void }} options
 *   `connections`: CONNECTIONS unless a test asks for fewer
 */
export async function measureLoad(load, baseUrls, mix, { rounds, length, warmup, connections = CONNECTIONS, log }) {
  const targets = /** @type {const} */ ([
    ['Prism mock (@reportei-connect/mock)', baseUrls.prism],
    ['sandbox (@reportei-connect/sandbox, over HTTP)', baseUrls.sandbox],
  ]);
  for (const [name, baseUrl] of targets) await checkMix(name, baseUrl, mix);

  const requests = mix.map(({ method, path, headers, body }) => ({ method, path, headers, ...(body !== undefined && { body }) }));
  /** @param {string} baseUrl @param {import('./load.mjs').LoadLength} runLength */
  const job = (baseUrl, runLength) => {
    const { origin, pathname } = new URL(baseUrl);
    const prefix = pathname.replace(/\/$/, '');
    return { url: origin, requests: requests.map((request) => ({ ...request, path: `${prefix}${request.path}` })), connections, ...runLength };
  };
  log(`sandbox: warming up each server (${describeLength(warmup)} at ${connections} connections)`);
  for (const [, baseUrl] of targets) await load.run(job(baseUrl, warmup));
  log(`sandbox: ${rounds} alternating rounds of ${describeLength(length)} per server, ${connections} connections, ${mix.length} operations in turn`);
  /** @type {LoadResult[][]} */
  const runs = targets.map(() => []);
  for (let roundIndex = 0; roundIndex < rounds; roundIndex++) {
    for (let offset = 0; offset < targets.length; offset++) {
      const index = (roundIndex + offset) % targets.length;
      const [, baseUrl] = /** @type {readonly [string, string]} */ (targets[index]);
      runs[index]?.push(await load.run(job(baseUrl, length)));
    }
  }
  const [prism, sandbox] = targets.map(([name], index) => summariseLoad(name, runs[index] ?? []));
  if (!prism || !sandbox) throw new Error('no load results');
  return { prism, sandbox, sandboxToPrism: round(sandbox.requestsPerSecond / prism.requestsPerSecond, 1) };
}

/**
 * The sandbox's in-process fetch: the mix, sequential, in this process, in interleaved rounds of
 * `calls` calls per operation after a warm-up; medians per operation.
 * @param {{ rounds: number, calls: number, log: (line: string) => void }} options
 */
export async function measureInProcess({ rounds, calls, log }) {
  log(`sandbox: in-process fetch, ${rounds} interleaved rounds of ${calls} calls per operation`);
  const sandbox = await sandboxWith(1);
  try {
    const mix = operationMix(sandbox);
    await checkMix('in-process sandbox', sandbox.baseUrl, mix, sandbox.fetch);
    const named = /** @type {[string, () => Promise<unknown>][]} */ (mix.map((request) => [request.operation, inProcessCall(sandbox, request)]));
    for (const [, call] of named) await timeCalls(call, calls); // warm-up
    const operations = await interleave(named, rounds, calls);
    return {
      callsPerRound: calls,
      operations,
      mixMicroseconds: round(operations.reduce((sum, row) => sum + row.microseconds, 0) / operations.length, 1),
      mixCpuMicroseconds: round(operations.reduce((sum, row) => sum + row.cpuMicroseconds, 0) / operations.length, 1),
    };
  } finally {
    await sandbox.close();
  }
}

/**
 * Whether listing a page costs more with more data stored: a page with FEW_CUSTOMERS stored, and the
 * first and last pages with `many`, in interleaved rounds after a warm-up; the ratio is the dearest page
 * with many customers to the page with few, round by round.
 * @param {{ rounds: number, calls: number, many?: number, log: (line: string) => void }} options
 *   `many`: MANY_CUSTOMERS unless a test asks for fewer (storing 10,000 takes seconds)
 */
export async function measureListing({ rounds, calls, many = MANY_CUSTOMERS, log }) {
  log(`sandbox: listing one page with ${FEW_CUSTOMERS} and with ${many.toLocaleString('en')} customers stored`);
  const few = await sandboxWith(FEW_CUSTOMERS);
  const lots = await sandboxWith(many);
  try {
    const merchant = operationMix(few)[0]?.headers ?? {}; // the same seed: the same merchant token in both
    /** @param {number} page */
    const listPage = (page) => ({ operation: 'listCustomers', method: 'GET', path: `/customers?page=${page}&per_page=${PAGE_SIZE}`, headers: merchant });
    const lastPage = Math.ceil(many / PAGE_SIZE);
    /** @type {[string, () => Promise<unknown>][]} */
    const lists = [
      [`${FEW_CUSTOMERS} customers, page 1`, inProcessCall(few, listPage(1))],
      [`${many} customers, page 1`, inProcessCall(lots, listPage(1))],
      [`${many} customers, page ${lastPage}`, inProcessCall(lots, listPage(lastPage))],
    ];
    for (const [, call] of lists) await timeCalls(call, calls);
    const rows = await interleave(lists, rounds, calls);
    const [fewList, ...manyLists] = rows;
    if (!fewList) throw new Error('no listing results');
    return {
      operation: `listCustomers, ${PAGE_SIZE} per page`,
      rows,
      // The dearest page with many customers stored, against the page with few, round by round.
      ratio: round(Math.max(...manyLists.map((row) => pairedRatio(row.perRoundMicroseconds, fewList.perRoundMicroseconds))), 2),
    };
  } finally {
    await few.close();
    await lots.close();
  }
}

/**
 * Whether a write costs more with more data stored: `createCustomer` against sandboxes keeping their
 * state in a file (each write on disk before it is answered), with FEW_CUSTOMERS and with `many`
 * stored, in interleaved rounds after a warm-up; the ratio is the many's to the few's, round by round.
 * @param {{ rounds: number, calls: number, many?: number, log: (line: string) => void }} options
 *   `many`: MANY_CUSTOMERS unless a test asks for fewer (storing 10,000 takes seconds)
 */
export async function measureWrites({ rounds, calls, many = MANY_CUSTOMERS, log }) {
  log(`sandbox: creating customers with ${FEW_CUSTOMERS} and with ${many.toLocaleString('en')} customers stored in a --state file`);
  const folder = mkdtempSync(join(tmpdir(), 'connect-bench-writes-'));
  const few = await sandboxWith(FEW_CUSTOMERS, join(folder, 'few.json'));
  const lots = await sandboxWith(many, join(folder, 'many.json'));
  try {
    const merchant = operationMix(few)[0]?.headers ?? {};
    const create = { operation: 'createCustomer', method: 'POST', path: '/customers', headers: { ...merchant, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Bench' }) };
    /** @type {[string, () => Promise<unknown>][]} */
    const writes = [
      [`${FEW_CUSTOMERS} customers`, inProcessCall(few, create)],
      [`${many} customers`, inProcessCall(lots, create)],
    ];
    for (const [, call] of writes) await timeCalls(call, calls);
    const rows = await interleave(writes, rounds, calls);
    const [fewWrites, manyWrites] = rows;
    if (!fewWrites || !manyWrites) throw new Error('no write results');
    return { operation: 'createCustomer, with a --state file', rows, ratio: round(pairedRatio(manyWrites.perRoundMicroseconds, fewWrites.perRoundMicroseconds), 2) };
  } finally {
    await few.close();
    await lots.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * The whole section: starts both servers and the load generator, then measures the load, the
 * in-process fetch and the listing. Each part is a function of its own so that the tests can run it on
 * tiny inputs, against servers they start once.
 * @param {{ sandboxRounds: number, sandboxSeconds: number, sandboxWarmupSeconds: number, sandboxCalls: number, log: (line: string) => void }} options
 */
export async function benchSandbox({ sandboxRounds: rounds, sandboxSeconds: seconds, sandboxWarmupSeconds: warmupSeconds, sandboxCalls: calls, log }) {
  /** @type {(() => unknown)[]} */
  const cleanups = [];
  try {
    log('sandbox: starting the sandbox and Prism');
    const sandboxServer = await startSandboxServer();
    cleanups.push(sandboxServer.stop);
    const prism = await startMock();
    cleanups.push(prism.stop);
    const load = startLoadGenerator();
    cleanups.push(load.stop);

    const mix = operationMix(sandboxServer);
    const loadFigures = await measureLoad(load, { prism: prism.url, sandbox: sandboxServer.baseUrl }, mix, { rounds, length: { seconds }, warmup: { seconds: warmupSeconds }, log });
    const inProcess = await measureInProcess({ rounds, calls, log });
    const listing = await measureListing({ rounds: Math.max(rounds, LISTING_ROUNDS), calls, log });
    const writes = await measureWrites({ rounds: Math.max(rounds, LISTING_ROUNDS), calls, log });
    return {
      method:
        `Each server in its own process on 127.0.0.1, autocannon ${CONNECTIONS} keep-alive connections in another process, each cycling through the mix; ` +
        'a warm-up of each server, then rounds alternating them; medians over rounds. In-process: sequential calls of sandbox.fetch in the measuring process, interleaved rounds, medians; ' +
        'listing ratio: median over rounds of (dearest page with many customers / page with few); write ratio: the same for createCustomer with a --state file.',
      mix: mix.map(({ operation, method, path }) => ({ operation, method, path: path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '{uuid}') })),
      connections: CONNECTIONS,
      rounds,
      secondsPerRound: seconds,
      load: loadFigures,
      inProcess,
      listing,
      writes,
    };
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}
