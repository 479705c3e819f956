// The load generator of sandbox.mjs, in a process of its own (forked with IPC): autocannon sends a
// fixed sequence of requests over keep-alive connections, each connection cycling through the sequence
// and sending the next request as soon as the last is answered. It reports, per run, the requests
// answered per second, latency percentiles and what went wrong, plus the CPU time it spent itself:
// under a core's worth, the load generator was not what limited the figures.
import autocannon from 'autocannon';

/**
 * @typedef {object} LoadJob
 * @property {string} url the server's origin
 * @property {{ method: string, path: string, headers: Record<string, string>, body?: string }[]} requests
 * @property {number} connections
 * @property {number} seconds
 */

/** @param {LoadJob} job */
async function run({ url, requests, connections, seconds }) {
  const cpuStart = process.cpuUsage();
  // The mix's methods are HTTP methods; autocannon's types spell them out as a union of literals.
  const sequence = /** @type {import('autocannon').Request[]} */ (requests);
  const result = await autocannon({ url, requests: sequence, connections, duration: seconds, pipelining: 1, timeout: 30 });
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
