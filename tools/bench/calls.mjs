// Per-call overhead: what one API call costs through the typed client, through bare openapi-fetch, and
// through a hand-written `fetch` + `res.json()`, against the same loopback server. A fourth, reference
// row adds to raw fetch only the per-call timeout signal that any client with timeouts must pass.
//
// Method, chosen for stable figures on a small (2-core) machine:
// - The server runs in a child process, so its request handling is on the other core and never
//   interleaves with the measured code in one event loop (which would also add the same fixed cost to
//   every variant and make the ratios look better than they are).
// - All three variants use the same global `fetch`, so the same undici dispatcher and the same
//   keep-alive connection pool; the server keeps connections open far longer than the benchmark runs.
// - Every variant is warmed up (JIT, connections) before measuring; rounds interleave the variants in a
//   rotating order, so drift (thermal, noisy neighbours) hits all of them alike; the heap is collected
//   before each block so no block pays for the previous one's garbage.
// - Each figure is the median over rounds of the mean time per call within a round. Ratios are the
//   median of per-round ratios to raw fetch in the same round, which cancels drift between rounds.
// - Both wall-clock time (what users feel) and this process's CPU time (the client side's own work,
//   steady even when other programs compete for the cores) are reported.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import createOpenApiFetchClient from 'openapi-fetch';
import { median, relativeSpread, round } from './stats.mjs';
import { installedVersion, packageEntries, publicPackages } from './packages.mjs';

const TOKEN = 'bench-merchant-token';
const PATH = '/merchants/settings';

setFlagsFromString('--expose-gc');
/** @type {() => void} */
const collectGarbage = runInNewContext('gc');

/**
 * @typedef {object} Variant
 * @property {'raw' | 'rawWithTimeout' | 'openapiFetch' | 'client'} id
 * @property {string} name
 * @property {() => Promise<unknown>} call one GET /merchants/settings returning the parsed body
 */

/** @param {string} baseUrl @returns {Variant} */
function rawFetchVariant(baseUrl) {
  const url = `${baseUrl}${PATH}`;
  const init = { headers: { authorization: `Bearer ${TOKEN}` } };
  return {
    id: 'raw',
    name: 'raw fetch + res.json()',
    async call() {
      const res = await fetch(url, init);
      if (!res.ok) throw new Error(`raw fetch: HTTP ${res.status}`);
      return res.json();
    },
  };
}

/**
 * Raw fetch plus what any client that enforces a per-attempt timeout must do on every call: an
 * AbortController whose signal goes to fetch, and a timer. A reference row, not a contender: it is the
 * floor for a client with timeouts on by default, and shows how much of a client's overhead is that.
 * @param {string} baseUrl
 * @returns {Variant}
 */
function rawFetchWithTimeoutVariant(baseUrl) {
  const url = `${baseUrl}${PATH}`;
  const headers = { authorization: `Bearer ${TOKEN}` };
  return {
    id: 'rawWithTimeout',
    name: 'raw fetch + per-call timeout signal',
    async call() {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), 30_000);
      try {
        const res = await fetch(url, { headers, signal: controller.signal });
        if (!res.ok) throw new Error(`raw fetch: HTTP ${res.status}`);
        return await res.json();
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** @param {string} baseUrl @returns {Variant} */
function openApiFetchVariant(baseUrl) {
  /** The one operation the benchmark calls, typed as openapi-fetch needs it.
   * @typedef {{ '/merchants/settings': { get: { responses: { 200: { content: { 'application/json': unknown } } } } } }} Paths */
  /** @type {import('openapi-fetch').Client<Paths>} */
  const api = createOpenApiFetchClient({ baseUrl, headers: { authorization: `Bearer ${TOKEN}` } });
  return {
    id: 'openapiFetch',
    name: `openapi-fetch ${installedVersion('openapi-fetch')} (bare)`,
    async call() {
      const { data, response } = await api.GET(PATH);
      if (!response.ok) throw new Error(`openapi-fetch: HTTP ${response.status}`);
      return data;
    },
  };
}

/**
 * The built client's main entry, found through its `exports` map; undefined until packages/client is built.
 * @returns {string | undefined}
 */
export function clientEntryFile() {
  const client = publicPackages().find((pkg) => pkg.name === '@reportei-connect/client');
  const main = client && packageEntries(client).find((entry) => entry.specifier === client.name);
  return main?.built ? main.file : undefined;
}

/** @param {string} baseUrl @param {string} entryFile @returns {Promise<Variant>} */
async function clientVariant(baseUrl, entryFile) {
  const { createConnectClient } = await import(pathToFileURL(entryFile).href);
  // Defaults for everything else (timeout, retries): the configuration users get.
  const connect = createConnectClient({ token: TOKEN, baseUrl });
  return { id: 'client', name: '@reportei-connect/client', call: () => connect.getMerchantSettings() };
}

/** @param {Variant} variant @param {number} calls */
async function runSequential(variant, calls) {
  for (let i = 0; i < calls; i++) await variant.call();
}

/** @param {Variant} variant @param {number} calls @param {number} inFlight */
async function runConcurrent(variant, calls, inFlight) {
  let started = 0;
  const worker = async () => {
    while (started < calls) {
      started++;
      await variant.call();
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
}

/**
 * Runs `run` over `calls` calls and returns, per call, the wall-clock microseconds (what a user waits)
 * and the CPU microseconds this process spent (user + system, all threads). The server runs in another
 * process, so CPU time counts only the client side's work, and time stolen by other programs on a busy
 * machine inflates the wall clock but hardly the CPU time: it is the steadier measure of overhead.
 * @param {() => Promise<void>} run
 * @param {number} calls
 */
async function timePerCall(run, calls) {
  collectGarbage();
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  await run();
  const wallMicroseconds = Number(process.hrtime.bigint() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  return { wall: wallMicroseconds / calls, cpu: (cpu.user + cpu.system) / calls };
}

/**
 * Interleaved rounds of every variant; returns each variant's per-call times, one entry per round.
 * @param {Variant[]} variants
 * @param {number} rounds
 * @param {(variant: Variant) => Promise<void>} runBlock
 * @param {number} calls calls per block
 */
async function interleavedRounds(variants, rounds, runBlock, calls) {
  /** @type {{ wall: number, cpu: number }[][]} */
  const perRound = variants.map(() => []);
  for (let roundIndex = 0; roundIndex < rounds; roundIndex++) {
    for (let offset = 0; offset < variants.length; offset++) {
      const index = (roundIndex + offset) % variants.length;
      const variant = /** @type {Variant} */ (variants[index]);
      perRound[index]?.push(await timePerCall(() => runBlock(variant), calls));
    }
  }
  return perRound;
}

/**
 * Median and spread of one measure over rounds, and the median of its per-round ratio to the baseline.
 * @param {number[]} values
 * @param {number[]} baseline
 */
function describe(values, baseline) {
  return {
    medianMicroseconds: round(median(values), 1),
    spread: round(relativeSpread(values), 3),
    ratioToRawFetch: round(median(values.map((value, roundIndex) => value / (baseline[roundIndex] ?? Number.NaN))), 3),
    perRoundMicroseconds: values.map((value) => round(value, 1)),
  };
}

/**
 * @param {Variant[]} variants the first is the baseline (raw fetch)
 * @param {{ wall: number, cpu: number }[][]} perRound
 */
function summarise(variants, perRound) {
  /** @param {number} index @param {'wall' | 'cpu'} key */
  const measure = (index, key) => (perRound[index] ?? []).map((times) => times[key]);
  return variants.map((variant, index) => ({
    id: variant.id,
    name: variant.name,
    wall: describe(measure(index, 'wall'), measure(0, 'wall')),
    cpu: describe(measure(index, 'cpu'), measure(0, 'cpu')),
  }));
}

/** @param {Variant} variant */
async function checkAnswers(variant) {
  const body = /** @type {{ merchant?: { uuid?: unknown } }} */ (await variant.call());
  if (typeof body?.merchant?.uuid !== 'string') {
    throw new Error(`${variant.name} did not return the merchant settings: ${JSON.stringify(body)}`);
  }
}

/**
 * @param {{ rounds: number, calls: number, inFlight: number, warmupCalls: number, log: (line: string) => void }} options
 */
export async function benchCalls({ rounds, calls, inFlight, warmupCalls, log }) {
  const server = fork(join(import.meta.dirname, 'server.mjs'), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const [{ port }] = await once(server, 'message');
    const baseUrl = `http://127.0.0.1:${port}`;
    const variants = [rawFetchVariant(baseUrl), rawFetchWithTimeoutVariant(baseUrl), openApiFetchVariant(baseUrl)];
    const clientFile = clientEntryFile();
    if (clientFile) variants.push(await clientVariant(baseUrl, clientFile));
    else log('calls: packages/client is not built (run `pnpm build`); measuring raw fetch and openapi-fetch only');

    for (const variant of variants) await checkAnswers(variant);
    log(`calls: warming up (${warmupCalls} sequential + ${warmupCalls} concurrent calls per variant)`);
    for (const variant of variants) {
      await runSequential(variant, warmupCalls);
      await runConcurrent(variant, warmupCalls, inFlight);
    }

    log(`calls: ${rounds} interleaved rounds of ${calls} sequential calls per variant`);
    const sequential = await interleavedRounds(variants, rounds, (variant) => runSequential(variant, calls), calls);
    log(`calls: ${rounds} interleaved rounds of ${calls} calls per variant, ${inFlight} in flight`);
    const concurrent = await interleavedRounds(
      variants,
      rounds,
      (variant) => runConcurrent(variant, calls, inFlight),
      calls,
    );
    return {
      method:
        'Server in a child process on 127.0.0.1; all variants share the global fetch (one undici keep-alive pool); ' +
        'warm-up, then interleaved rounds in rotating order with a GC before each block. ' +
        'µs/call = median over rounds of (block time / calls), as wall-clock time and as CPU time of the measuring process; ' +
        'ratio = median over rounds of (variant / raw fetch in that round).',
      rounds,
      callsPerRound: calls,
      inFlight,
      sequential: summarise(variants, sequential),
      concurrent: summarise(variants, concurrent),
    };
  } finally {
    server.disconnect();
  }
}
