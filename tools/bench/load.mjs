// The load generator of sandbox.mjs, in a process of its own (forked with IPC): autocannon sends a
// fixed sequence of requests over keep-alive connections, each connection cycling through the sequence
// and sending the next request as soon as the last is answered. It reports, per run, the requests
// answered per second, latency percentiles and what went wrong, plus the CPU time it spent itself:
// under a core's worth, the load generator was not what limited the figures.
import autocannon from 'autocannon';

/**
 * How much load a run puts on the server: `seconds` of it (pnpm bench), or a fixed `amount` of requests,
 * at least one per connection: the same work however busy the machine (the tests).
 * @typedef {{ seconds: number } | { amount: number }} LoadLength
 */

/**
 * @typedef {{
 *   url: string,
 *   requests: { method: string, path: string, headers: Record<string, string>, body?: string }[],
 *   connections: number,
 * } & LoadLength} LoadJob `url` is the server's origin
 */

/** @param {LoadJob} job */
async function run(job) {
  const { url, requests, connections } = job;
  const cpuStart = process.cpuUsage();
  // The mix's methods are HTTP methods; autocannon's types spell them out as a union of literals.
  const sequence = /** @type {import('autocannon').Request[]} */ (requests);
  // autocannon notices that a run is over on its sampling tick, every second by default: a run of a
  // fixed amount samples often, so it ends when its last answer arrives. No figure reported here
  // depends on the sampling (latencies are per request, the duration is measured).
  const length = 'amount' in job ? { amount: job.amount, sampleInt: 10 } : { duration: job.seconds };
  const result = await autocannon({ url, requests: sequence, connections, pipelining: 1, timeout: 30, ...length });
  const cpu = process.cpuUsage(cpuStart);
  return {
    requests: result.requests.total,
    seconds: result.duration,
    requestsPerSecond: result.requests.total / result.duration,
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    // Share of one core the generator used while it ran.
    loadGeneratorCpu: (cpu.user + cpu.system) / 1e6 / result.duration,
  };
}

process.on('message', (/** @type {LoadJob} */ job) => {
  run(job).then(
    (result) => process.send?.({ result }),
    (/** @type {unknown} */ error) => process.send?.({ error: error instanceof Error ? error.message : String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
