// The sandbox served over HTTP in its own process, for the load test of sandbox.mjs: like Prism, it
// gets a core of its own and never shares an event loop with the load generator. It is the sandbox as
// `connect-sandbox --quiet` runs it (createSandbox, then listen), with a rate limit high enough never
// to answer 429, and reports its port and demo customer to the parent over IPC. With
// `--rate-limit-per-second <n>` (the pacing section), it is `connect-sandbox --rate-limit-per-second <n>`:
// the default limit per minute, and n a second.
import { parseArgs } from 'node:util';
import { createSandbox } from '@reportei-connect/sandbox';

/** Requests per minute: far above what one core can serve, so the load test never meets the limit. */
const RATE_LIMIT = 1_000_000_000;

const perSecond = parseArgs({ options: { 'rate-limit-per-second': { type: 'string' } } }).values['rate-limit-per-second'];
const limits = perSecond === undefined ? { rateLimit: RATE_LIMIT } : { rateLimitPerSecond: Number(perSecond) };
const sandbox = createSandbox({ seed: 'bench', now: '2030-01-01T00:00:00Z', ...limits });
const running = await sandbox.listen({ port: 0, host: '127.0.0.1' });
process.send?.({ baseUrl: running.baseUrl, merchantToken: sandbox.merchantToken, demo: sandbox.demo });
process.on('disconnect', () => {
  void running.close().then(() => sandbox.close()).finally(() => process.exit(0));
});
