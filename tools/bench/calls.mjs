// Per-call overhead: what one API call costs through the typed client, through the libraries a user
// would otherwise pick (variants.mjs), and through a hand-written `fetch` + `res.json()`, against the
// same loopback server. A reference row adds to raw fetch only the per-call timeout signal that any
// client with timeouts must pass: the client's budget is measured against it.
//
// Method, chosen for stable figures on a small (2-core) machine:
// - The server runs in a child process, so its request handling is on the other core and never
//   interleaves with the measured code in one event loop (which would also add the same fixed cost to
//   every variant and make the ratios look better than they are).
// - Every fetch-based variant uses the same global `fetch`, so the same undici dispatcher and the same
//   keep-alive connection pool; axios's http adapter uses Node's global http agent, also keep-alive.
//   The server keeps connections open far longer than the benchmark runs.
// - Every variant is warmed up (JIT, connections) before measuring; rounds interleave the variants, each
//   round in a new random order (seeded: the same orders on every run), so drift (thermal, noisy
//   neighbours) hits all of them alike and no variant always follows the same one: the block after
//   axios's http adapter runs measurably slower, whichever variant it is. No garbage collection is
//   forced between blocks: on Node 20 a forced full collection made the next block slower by up to
//   half, and by different amounts for different variants.
// - Each figure is the median over rounds of the mean time per call within a round. Ratios are the
//   median of per-round ratios to the baseline in the same round, which cancels drift between rounds.
// - Both wall-clock time (what users feel) and this process's CPU time (the client side's own work,
//   steady even when other programs compete for the cores) are reported.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { median, pairedRatio, relativeSpread, round } from './stats.mjs';
import { clientEntryFile, createVariants } from './variants.mjs';

/** @typedef {import('./variants.mjs').Variant} Variant */

/**
 * The client's budget (issue 15): per call, at most this many times raw fetch with the same per-attempt
 * timeout signal, sequential and concurrent, and faster than every peer.
 */
export const CLIENT_BUDGET = 1.05;

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
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  await run();
  const wallMicroseconds = Number(process.hrtime.bigint() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  return { wall: wallMicroseconds / calls, cpu: (cpu.user + cpu.system) / calls };
}

/**
 * The order of the variants in each round: a shuffle by a seeded generator, so every run uses the
 * same orders and, over the rounds, each variant follows each other about as often.
 * @param {number} count variants
 * @param {number} rounds
 * @param {number} [seed]
 * @returns {number[][]}
 */
export function roundOrders(count, rounds, seed = 15) {
  let state = seed;
  const next = () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0; // a linear congruential generator
    return state / 2 ** 32;
  };
  return Array.from({ length: rounds }, () => {
    const order = Array.from({ length: count }, (_, index) => index);
    for (let index = count - 1; index > 0; index--) {
      const other = Math.floor(next() * (index + 1));
      [order[index], order[other]] = [/** @type {number} */ (order[other]), /** @type {number} */ (order[index])];
    }
    return order;
  });
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
  for (const order of roundOrders(variants.length, rounds)) {
    for (const index of order) {
      const variant = /** @type {Variant} */ (variants[index]);
      perRound[index]?.push(await timePerCall(() => runBlock(variant), calls));
    }
  }
  return perRound;
}

/**
 * Median and spread of one measure over rounds, and the medians of its per-round ratios to raw fetch and
 * to the reference (raw fetch with the timeout signal) in the same round.
 * @param {number[]} values
 * @param {number[]} raw
 * @param {number[]} reference
 */
function describe(values, raw, reference) {
  /** @param {number[]} baseline */
  const ratio = (baseline) => round(pairedRatio(values, baseline), 3);
  return {
    medianMicroseconds: round(median(values), 1),
    spread: round(relativeSpread(values), 3),
    ratioToRawFetch: ratio(raw),
    ratioToReference: ratio(reference),
    perRoundMicroseconds: values.map((value) => round(value, 1)),
  };
}

/**
 * @param {Variant[]} variants the first is the baseline (raw fetch), the second the reference
 * @param {{ wall: number, cpu: number }[][]} perRound
 */
export function summarise(variants, perRound) {
  /** @param {number} index @param {'wall' | 'cpu'} key */
  const measure = (index, key) => (perRound[index] ?? []).map((times) => times[key]);
  const referenceIndex = variants.findIndex((variant) => variant.role === 'reference');
  return variants.map((variant, index) => ({
    id: variant.id,
    name: variant.name,
    role: variant.role,
    wall: describe(measure(index, 'wall'), measure(0, 'wall'), measure(referenceIndex, 'wall')),
    cpu: describe(measure(index, 'cpu'), measure(0, 'cpu'), measure(referenceIndex, 'cpu')),
  }));
}

/**
 * @typedef {ReturnType<typeof summarise>[number]} Row
 * @typedef {{ ratio: number, met: boolean, slowerThan: string[] }} ModeBudget
 */

/**
 * The client against its budget in each mode: its wall-clock ratio to raw fetch with the same timeout
 * signal (at most CLIENT_BUDGET), and the peers it is not faster than: those whose time per call is at
 * most the client's, compared round by round (the median of the per-round ratios).
 * Undefined without a client row.
 * @param {{ sequential: Row[], concurrent: Row[] }} calls
 */
export function clientBudget({ sequential, concurrent }) {
  /** @param {Row[]} rows @returns {ModeBudget | undefined} */
  const mode = (rows) => {
    const client = rows.find((row) => row.role === 'client');
    if (!client) return undefined;
    const ratio = client.wall.ratioToReference;
    const slowerThan = rows
      .filter((row) => row.role === 'peer' && pairedRatio(client.wall.perRoundMicroseconds, row.wall.perRoundMicroseconds) >= 1)
      .map((row) => row.name);
    return { ratio, met: ratio <= CLIENT_BUDGET && slowerThan.length === 0, slowerThan };
  };
  const inSequence = mode(sequential);
  const inFlight = mode(concurrent);
  if (!inSequence || !inFlight) return undefined;
  return { maxRatio: CLIENT_BUDGET, sequential: inSequence, concurrent: inFlight, met: inSequence.met && inFlight.met };
}

/** @param {Variant} variant */
async function checkAnswers(variant) {
  const body = /** @type {{ merchant?: { uuid?: unknown } }} */ (await variant.call());
  if (typeof body?.merchant?.uuid !== 'string') {
    throw new Error(`${variant.name} did not return the merchant settings: ${JSON.stringify(body)}`);
  }
}

/**
 * Starts the loopback server (server.mjs) in a child process; `stop` ends it.
 * @param {string} [mode] `hang`: accept requests and never answer; `fail`: answer 500 (for tests)
 */
export async function startServer(mode) {
  const server = fork(join(import.meta.dirname, 'server.mjs'), mode ? [mode] : [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [{ port }] = await once(server, 'message');
  return { baseUrl: `http://127.0.0.1:${port}`, stop: () => server.disconnect() };
}

/**
 * @param {{ rounds: number, calls: number, inFlight: number, warmupCalls: number, log: (line: string) => void }} options
 */
export async function benchCalls({ rounds, calls, inFlight, warmupCalls, log }) {
  const server = await startServer();
  try {
    const clientFile = clientEntryFile();
    if (!clientFile) log('calls: packages/client is not built (run `pnpm build`); measuring without it');
    const variants = await createVariants({ baseUrl: server.baseUrl, clientFile });

    for (const variant of variants) await checkAnswers(variant);
    log(`calls: warming up (${warmupCalls} sequential + ${warmupCalls} concurrent calls per variant)`);
    for (const variant of variants) {
      await runSequential(variant, warmupCalls);
      await runConcurrent(variant, warmupCalls, inFlight);
    }

    log(`calls: ${rounds} interleaved rounds of ${calls} sequential calls per variant`);
    const sequential = await interleavedRounds(variants, rounds, (variant) => runSequential(variant, calls), calls);
    log(`calls: ${rounds} interleaved rounds of ${calls} calls per variant, ${inFlight} in flight`);
    const concurrent = await interleavedRounds(variants, rounds, (variant) => runConcurrent(variant, calls, inFlight), calls);
    const rows = { sequential: summarise(variants, sequential), concurrent: summarise(variants, concurrent) };
    const budget = clientBudget(rows);
    return {
      method:
        'Server in a child process on 127.0.0.1; the fetch-based variants share the global fetch (one undici keep-alive pool), ' +
        "axios's http adapter Node's global keep-alive agent; warm-up, then interleaved rounds, each in a new seeded random order, no forced GC. " +
        'µs/call = median over rounds of (block time / calls), as wall-clock time and as CPU time of the measuring process; ' +
        'ratio = median over rounds of (variant / raw fetch, or raw fetch with the timeout signal, in that round).',
      rounds,
      callsPerRound: calls,
      inFlight,
      ...rows,
      ...(budget && { clientBudget: budget }),
    };
  } finally {
    server.stop();
  }
}
