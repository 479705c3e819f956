// Several worker processes sharing one merchant's rate limit (issue 21): the sandbox in a process of
// its own, as `connect-sandbox --rate-limit-per-second <n>` runs it, and `workers` processes
// (pacing-worker.mjs), each making `calls` calls of getMerchantSettings one after another, all started
// together. Once per way of pacing, each against a fresh sandbox:
//
// - none:    `rateLimit: false`; every 429 is retried after its Retry-After, as the client always does
// - headers: the default, each process pacing by the X-RateLimit-* headers of its own answers
// - process: `rateLimit: { perSecond }`, each process pacing alone to the merchant's limit
// - shared:  `rateLimit: { perSecond, store: redisRateLimit(...) }`, one budget in a redis-server
//
// For each: the 429s the workers met, the calls that failed (after the client's retries), and the time
// from the start until the last call settled, against the ideal: every call at the limit,
// workers * calls / perSecond seconds.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { startRedis } from '@reportei-connect/redis-server';
import { startSandboxServer } from './sandbox.mjs';
import { round } from './stats.mjs';

export const PACING_MODES = /** @type {const} */ (['none', 'headers', 'process', 'shared']);
/** Issue 21: the shared budget finishes within this factor of the ideal, with no 429. */
export const SHARED_TARGET = 1.15;

/**
 * @typedef {(typeof PACING_MODES)[number]} PacingMode
 * @typedef {import('./pacing-worker.mjs').WorkerResult} WorkerResult
 * @typedef {{ mode: PacingMode, refused: number, failed: number, ok: number, retries: number, waits: number, seconds: number, ratioToIdeal: number, errors: string[] }} PacingRow
 */

/**
 * Starts `count` worker processes, sends each its job, and resolves once every one is ready to start.
 * @param {number} count
 * @param {import('./pacing-worker.mjs').WorkerJob} job
 */
async function startWorkers(count, job) {
  const children = Array.from({ length: count }, () => fork(join(import.meta.dirname, 'pacing-worker.mjs'), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  /** @param {import('node:child_process').ChildProcess} child @param {unknown} message */
  const ask = async (child, message) => {
    const reply = once(child, 'message');
    child.send(/** @type {import('node:child_process').Serializable} */ (message));
    const [answer] = /** @type {[{ ready?: true, result?: WorkerResult, error?: string }]} */ (await reply);
    if (answer.error) throw new Error(`pacing worker: ${answer.error}`);
    return answer;
  };
  try {
    await Promise.all(children.map((child) => ask(child, { job })));
  } catch (error) {
    for (const child of children) child.disconnect();
    throw error;
  }
  return {
    /** Starts them all at once; resolves with each one's result and the seconds until the last settled. */
    async run() {
      const started = performance.now();
      const results = await Promise.all(children.map(async (child) => /** @type {WorkerResult} */ ((await ask(child, { go: true })).result)));
      return { results, seconds: (performance.now() - started) / 1000 };
    },
    stop: () => Promise.all(children.map(async (child) => {
      const exited = once(child, 'exit');
      child.disconnect();
      await exited;
    })),
  };
}

/**
 * @param {{ workers: number, calls: number, perSecond: number, modes?: readonly PacingMode[], log: (line: string) => void }} options
 */
export async function benchPacing({ workers, calls, perSecond, modes = PACING_MODES, log }) {
  const redis = modes.includes('shared') ? await startRedis() : undefined;
  /** @type {PacingRow[]} */
  const rows = [];
  const ideal = (workers * calls) / perSecond;
  try {
    for (const mode of modes) {
      const sandbox = await startSandboxServer(['--rate-limit-per-second', String(perSecond)]);
      try {
        const pool = await startWorkers(workers, { baseUrl: sandbox.baseUrl, token: sandbox.merchantToken, mode, calls, perSecond, redisUrl: redis?.url, keyPrefix: `bench-${process.pid}-${mode}` });
        log(`pacing: ${mode}, ${workers} processes x ${calls} calls at ${perSecond}/s`);
        try {
          const { results, seconds } = await pool.run();
          /** @param {'ok' | 'failed' | 'refused' | 'retries' | 'waits'} key */
          const sum = (key) => results.reduce((total, result) => total + result[key], 0);
          rows.push({
            mode,
            refused: sum('refused'),
            failed: sum('failed'),
            ok: sum('ok'),
            retries: sum('retries'),
            waits: sum('waits'),
            seconds: round(seconds, 2),
            ratioToIdeal: round(seconds / ideal, 3),
            errors: [...new Set(results.flatMap((result) => result.errors))].slice(0, 3),
          });
        } finally {
          await pool.stop();
        }
      } finally {
        await sandbox.stop();
      }
    }
  } finally {
    await redis?.stop();
  }
  const shared = rows.find((row) => row.mode === 'shared');
  return {
    workers,
    callsPerWorker: calls,
    perSecond,
    idealSeconds: round(ideal, 2),
    rows,
    sharedTarget: shared && { maxRatio: SHARED_TARGET, met: shared.refused === 0 && shared.failed === 0 && shared.ratioToIdeal <= SHARED_TARGET },
  };
}
