// One worker process of the pacing section (pacing.mjs): a client of the shared merchant, paced as
// its job says, making its calls one after another once told to start. It counts what its `onEvent`
// reports (429 answers, retries, rate-limit waits) and the calls that failed, and reports them to the
// parent over IPC. Before starting it has loaded everything and made one request of its own, refused
// without counting against the merchant (another token), so that no call pays for start-up.
import { createConnectClient } from '@reportei-connect/client';
import { redisRateLimit } from '@reportei-connect/rate-limit-redis';
import { Redis } from 'ioredis';

/**
 * @typedef {'none' | 'headers' | 'process' | 'shared'} PacingMode
 * @typedef {{ baseUrl: string, token: string, mode: PacingMode, calls: number, perSecond: number, redisUrl?: string, keyPrefix?: string }} WorkerJob
 * @typedef {{ ok: number, failed: number, refused: number, retries: number, waits: number, waitedMs: number, errors: string[] }} WorkerResult
 */

/** @param {WorkerJob} job */
async function prepare(job) {
  const redis = job.mode === 'shared' ? new Redis(/** @type {string} */ (job.redisUrl)) : undefined;
  const store = redis && redisRateLimit({ redis, keyPrefix: job.keyPrefix });
  /** @type {Record<PacingMode, import('@reportei-connect/client').ConnectClientOptions['rateLimit']>} */
  const rateLimit = { none: false, headers: true, process: { perSecond: job.perSecond }, shared: { perSecond: job.perSecond, store } };
  /** @type {WorkerResult} */
  const result = { ok: 0, failed: 0, refused: 0, retries: 0, waits: 0, waitedMs: 0, errors: [] };
  const connect = createConnectClient({
    token: job.token,
    baseUrl: job.baseUrl,
    rateLimit: rateLimit[job.mode],
    onEvent: (event) => {
      if (event.type === 'response' && event.status === 429) result.refused++;
      else if (event.type === 'retry') result.retries++;
      else if (event.type === 'rate-limit-wait') {
        result.waits++;
        result.waitedMs += event.durationMs;
      }
    },
  });
  await fetch(`${job.baseUrl}/merchants/settings`, { headers: { authorization: 'Bearer warm-up' } }).then((response) => response.arrayBuffer());
  if (redis) await redis.ping();
  return {
    async run() {
      for (let n = 0; n < job.calls; n++) {
        try {
          await connect.getMerchantSettings();
          result.ok++;
        } catch (error) {
          result.failed++;
          if (result.errors.length < 3) result.errors.push(error instanceof Error ? error.message : String(error));
        }
      }
      redis?.disconnect();
      return result;
    },
  };
}

/** @type {Awaited<ReturnType<typeof prepare>> | undefined} */
let prepared;
process.on('message', (/** @type {{ job?: WorkerJob, go?: true }} */ message) => {
  const step = message.job ? prepare(message.job).then((ready) => ((prepared = ready), { ready: true })) : /** @type {NonNullable<typeof prepared>} */ (prepared).run().then((result) => ({ result }));
  step.then(
    (reply) => process.send?.(reply),
    (/** @type {unknown} */ error) => process.send?.({ error: error instanceof Error ? error.message : String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
