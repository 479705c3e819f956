// The nightly job at scale: a BullMQ queue of (customer, integration) jobs, consumed by several workers
// that share the merchant's rate limit through Redis. Each worker has its own Redis connections and
// its own client, as a worker process on another machine would: only the budget in Redis joins them.
// `pnpm example nightly` runs it against a sandbox and a redis-server of its own; otherwise it talks to
// the sandbox (`pnpm sandbox`, REPORTEI_CONNECT_* as it prints them) and to REDIS_URL.
import { createConnectClient } from '@reportei-connect/client';
import { metric } from '@reportei-connect/metrics';
import { redisRateLimit } from '@reportei-connect/rate-limit-redis';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const baseUrl = process.env.REPORTEI_CONNECT_BASE_URL ?? 'http://127.0.0.1:4011/api';
// BullMQ's connections wait for Redis as long as it takes (it requires maxRetriesPerRequest: null).
const bullConnection = () => new Redis(redisUrl, { maxRetriesPerRequest: null });

// The merchant's limits, from its settings: every worker paces to the same ones.
const { merchant } = await createConnectClient({ baseUrl }).getMerchantSettings();
const limits = { perMinute: Number(merchant.rate_limit_per_minute), perSecond: Number(merchant.rate_limit_per_second) };

interface NightlyJob {
  customer: string; // your id of the customer: its token stays in your database, out of Redis
  integration: string;
  month: string;
}
// Your database's lookup; here, the sandbox's demo customer.
const tokenOf = (_customer: string) => process.env.REPORTEI_CONNECT_CUSTOMER_TOKEN ?? '';

// A worker, as each worker process runs it: the store's connection keeps ioredis's defaults, so that a
// Redis that stops answering fails the reservation (the call is then paced in this process alone).
function startWorker(name: string) {
  const store = new Redis(redisUrl);
  const connect = createConnectClient({ baseUrl, rateLimit: { ...limits, store: redisRateLimit({ redis: store, keyPrefix: `reportei:${merchant.uuid}` }) } });
  const connection = bullConnection();
  const worker = new Worker<NightlyJob, string>(
    'reportei-nightly',
    async ({ data }) => {
      const start = `${data.month}-01`;
      const end = new Date(Date.UTC(Number(data.month.slice(0, 4)), Number(data.month.slice(5)), 0)).toISOString().slice(0, 10);
      const results = await connect.forCustomer(tokenOf(data.customer)).getMetricsData({ customer_integration: data.integration, start, end, metrics: [metric('ig:reach', { id: 'reach' })] });
      return `${data.month} reach ${results.reach.values} (${name})`;
    },
    { connection, concurrency: 2 },
  );
  return async () => {
    await worker.close();
    await Promise.all([connection.quit(), store.quit()]);
  };
}

// The scheduler: one job per (customer, integration) and month, here the twelve months of 2025 of the
// demo customer's integration. Its job id makes scheduling it twice add nothing while it is queued.
const [queueConnection, eventsConnection] = [bullConnection(), bullConnection()];
const queue = new Queue<NightlyJob, string>('reportei-nightly', { connection: queueConnection });
const events = new QueueEvents('reportei-nightly', { connection: eventsConnection });
await events.waitUntilReady();
const integration = process.env.REPORTEI_CONNECT_CUSTOMER_INTEGRATION ?? '';
const months = Array.from({ length: 12 }, (_, n) => `2025-${String(n + 1).padStart(2, '0')}`);
const finished = new Promise<string[]>((resolve, reject) => {
  const lines: string[] = [];
  events.on('completed', ({ returnvalue }) => lines.push(String(returnvalue)) === months.length && resolve(lines.sort()));
  events.on('failed', ({ jobId, failedReason }) => reject(new Error(`job ${jobId} failed: ${failedReason}`)));
});
await queue.addBulk(
  months.map((month) => ({ name: 'metrics', data: { customer: 'demo', integration, month }, opts: { jobId: `${integration}-${month}`, attempts: 3, removeOnComplete: true } })),
);

const stops = ['worker-1', 'worker-2', 'worker-3'].map(startWorker);
try {
  console.log((await finished).join('\n'));
  console.log(`${months.length} jobs done by ${stops.length} workers sharing one budget of ${limits.perSecond}/s and ${limits.perMinute}/min`);
} finally {
  await Promise.all(stops.map((stop) => stop()));
  await Promise.all([queue.close(), events.close()]);
  await Promise.all([queueConnection.quit(), eventsConnection.quit()]);
}
