import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { API_PREFIX, createApp, DROPPED_HEADER, type RequestRecord, type SandboxCore } from './app.js';
import { networkBySlug } from './catalogue.js';
import { Clock, type SandboxClock } from './clock.js';
import { uuidFrom } from './random.js';
import { WebhookSender, type WebhookDelivery, type WebhookOptions } from './webhooks.js';
import { readState, removeStaleTemporaryFiles, SandboxStateError, writeState } from './persistence.js';
import { RateLimiter } from './rate-limit.js';
import { loadSpec } from './spec.js';
import { INTEGRATION_STATUSES, Store, type IntegrationStatus } from './store.js';

export const DEFAULT_PORT = 4011;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_SEED = 'connect-sandbox';
export const DEFAULT_MERCHANT_TOKEN = 'sandbox-merchant-token';
export const DEFAULT_RATE_LIMIT = 6000;
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** The base URL of the in-process `fetch`: a name that never resolves, so nothing reaches the network by mistake. */
export const IN_PROCESS_ORIGIN = 'http://connect-sandbox.invalid';

export interface SandboxOptions {
  /** Everything made up (ids, tokens, metric values) derives from it. Default `connect-sandbox`. */
  seed?: string | undefined;
  /** The one merchant token the sandbox accepts. Default `sandbox-merchant-token`. */
  merchantToken?: string | undefined;
  /** Requests per minute, per token, before 429. Default 6000. */
  rateLimit?: number | undefined;
  /**
   * A JSON file that keeps the state across restarts, written atomically on every change. A missing
   * file is created from the seed; an unreadable or corrupt one throws a `SandboxStateError`.
   */
  stateFile?: string | undefined;
  /** Largest request body accepted (413 above). Default 1 MiB. */
  maxBodyBytes?: number | undefined;
  /** Told of each API request once answered (for logging); the record never holds a token. */
  onRequest?: ((record: RequestRecord) => void) | undefined;
  /** Where the clock starts on a fresh state and after a reset (default: real time). It then runs with real time. */
  now?: Date | string | undefined;
  /**
   * The merchant's default `redirect_url`: where the hosted integration page's final button leads when
   * the session names none. Default: the sandbox's own "done" page (`/customer-integrations/done`).
   */
  redirectUrl?: string | undefined;
  /** How `getMetricsDataAsync`'s webhook is delivered: delay, attempts, backoff, timeout. */
  webhooks?: WebhookOptions | undefined;
}

export interface ListenOptions {
  /** Default 4011; 0 picks a free port. */
  port?: number | undefined;
  /** Default 127.0.0.1. */
  host?: string | undefined;
}

export interface RunningSandbox {
  /** The origin, such as `http://127.0.0.1:4011`. */
  url: string;
  /** The API's base URL, such as `http://127.0.0.1:4011/api`. */
  baseUrl: string;
  port: number;
  /** Stops listening, drops open connections and releases hung requests. */
  close(): Promise<void>;
}

/** The seeded demo customer: paying (the clock never locks it out), with an active Instagram Business integration. */
export interface DemoCustomer {
  uuid: string;
  /** Its `x-customer-token`. */
  token: string;
  /** Its `active` Instagram Business integration's uuid. */
  integration: string;
}

export interface SandboxWebhooks {
  /** Every delivery kept (the last 100), newest first, with its attempts. */
  deliveries(): WebhookDelivery[];
  /**
   * Makes the next attempt of every pending delivery now, without waiting for its delay or backoff,
   * and resolves with every delivery once those attempts are over. A failed attempt is retried later
   * as usual (or fails the delivery, if it was the last): call it again to retry at once.
   */
  flush(): Promise<WebhookDelivery[]>;
}

export interface Sandbox {
  /** A WHATWG fetch that serves requests in-process, for `createConnectClient({ fetch, baseUrl })`. */
  fetch: typeof fetch;
  /** The in-process base URL (`http://connect-sandbox.invalid/api`): only `fetch` above can reach it. */
  baseUrl: string;
  merchantToken: string;
  /** The demo customer's token (as printed by the CLI as REPORTEI_CONNECT_CUSTOMER_TOKEN). */
  customerToken: string;
  /** The demo customer's active Instagram Business integration (REPORTEI_CONNECT_CUSTOMER_INTEGRATION). */
  integration: string;
  demo: DemoCustomer;
  clock: SandboxClock;
  /** Serves the same sandbox over HTTP. */
  listen(options?: ListenOptions): Promise<RunningSandbox>;
  /** Back to the seed's state and the clock to its start; the demo customer keeps its uuid and token. */
  reset(): void;
  /**
   * Connects a network to a customer, as the hosted integration page does; `status` lets tests make
   * `expired` or `revoked` integrations. Answers the integration's uuid.
   */
  connectIntegration(customer: string, slug: string, options?: { status?: IntegrationStatus; sourceName?: string }): string;
  /** The last requests served (method, path, status, operationId), oldest first. */
  requests(): RequestRecord[];
  /** The deliveries of `getMetricsDataAsync`'s webhook. */
  webhooks: SandboxWebhooks;
  /** Closes every listener, releases hung requests, cancels pending webhook deliveries and writes the state file. */
  close(): Promise<void>;
}

function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new TypeError(`createSandbox: ${message}`);
}

/** The error the in-process fetch rejects with when the connection is dropped: undici's, in shape. */
function fetchFailed(): TypeError {
  const cause = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
  return new TypeError('fetch failed', { cause });
}

/** A stateful, local implementation of the Reportei Connect API. */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const merchantToken = options.merchantToken ?? DEFAULT_MERCHANT_TOKEN;
  const rateLimit = options.rateLimit ?? DEFAULT_RATE_LIMIT;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  check(typeof merchantToken === 'string' && /^\S+$/.test(merchantToken), 'merchantToken must be a non-empty string without spaces.');
  check(Number.isInteger(rateLimit) && rateLimit >= 1, 'rateLimit must be a whole number of requests per minute, 1 or more.');
  check(Number.isInteger(maxBodyBytes) && maxBodyBytes >= 1, 'maxBodyBytes must be a whole number of bytes, 1 or more.');
  check(options.seed === undefined || typeof options.seed === 'string', 'seed must be a string.');
  check(options.redirectUrl === undefined || (typeof options.redirectUrl === 'string' && /^https?:\/\/\S+$/i.test(options.redirectUrl)), 'redirectUrl must be an http or https URL.');

  const spec = loadSpec();
  const stateFile = options.stateFile;
  const saved = stateFile === undefined ? undefined : readState(stateFile);
  if (stateFile !== undefined) removeStaleTemporaryFiles(stateFile);
  if (saved && options.seed !== undefined && saved.seed !== options.seed) {
    throw new SandboxStateError(
      `The state file ${stateFile} was made with the seed "${saved.seed}", not "${options.seed}": leave out the seed, pass the same one, or use another state file.`,
    );
  }
  const seed = saved?.seed ?? options.seed ?? DEFAULT_SEED;

  let startMs: number | undefined;
  if (options.now !== undefined) {
    startMs = new Date(options.now).getTime();
    check(Number.isFinite(startMs), 'now must be a Date or an RFC 3339 date and time.');
  }
  /** The clock's offset at a fresh start: `now` if given, else real time. */
  const startOffset = () => (startMs === undefined ? 0 : startMs - Date.now());

  let dirty = false;
  const clock = new Clock(saved?.clockOffsetMs ?? startOffset(), (offset) => core.store.setClockOffset(offset));
  const fresh = () => Store.seeded(seed, clock.nowMs(), clock.offsetMs);
  const watch = (store: Store) => {
    store.onChange = () => {
      dirty = true;
    };
    return store;
  };

  const core: SandboxCore = {
    spec,
    store: watch(saved ? new Store(saved) : fresh()),
    clock,
    limiter: new RateLimiter(rateLimit),
    webhooks: new WebhookSender(options.webhooks ?? {}, () => clock.nowMs(), (number) => uuidFrom(seed, 'webhook-delivery', number)),
    redirectUrl: options.redirectUrl,
    merchantToken,
    maxBodyBytes,
    hung: new Set(),
    requests: [],
    onRequest: options.onRequest,
    reset() {
      clock.offsetMs = startOffset();
      core.store = watch(fresh());
      core.limiter.reset();
      core.webhooks.clear();
      core.requests.length = 0;
      dirty = true;
      core.persist();
    },
    persist() {
      if (!dirty || stateFile === undefined) return;
      writeState(stateFile, core.store.toJSON());
      dirty = false;
    },
  };
  if (!saved) {
    dirty = true;
    core.persist();
  }

  const app = createApp(core);

  const inProcessFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const { signal } = request;
    if (signal.aborted) throw signal.reason;
    return new Promise<Response>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      Promise.resolve(app.fetch(request))
        .then((response) => (response.headers.has(DROPPED_HEADER) ? reject(fetchFailed()) : resolve(response)), reject)
        .finally(() => signal.removeEventListener('abort', onAbort));
    });
  };

  const servers = new Set<Server>();
  const releaseHung = () => {
    for (const release of [...core.hung]) release();
  };

  const sandbox: Sandbox = {
    fetch: inProcessFetch as typeof fetch,
    baseUrl: `${IN_PROCESS_ORIGIN}${API_PREFIX}`,
    merchantToken,
    get customerToken() {
      return core.store.demo.token;
    },
    get integration() {
      return core.store.demo.integration;
    },
    get demo() {
      const { customer, token, integration } = core.store.demo;
      return { uuid: customer, token, integration };
    },
    clock: {
      now: () => clock.now(),
      advance: (seconds) => {
        const now = clock.advance(seconds);
        core.persist();
        return now;
      },
      set: (to) => {
        const now = clock.set(to);
        core.persist();
        return now;
      },
    },
    listen({ port = DEFAULT_PORT, host = DEFAULT_HOST } = {}) {
      return new Promise<RunningSandbox>((resolve, reject) => {
        const server = serve({ fetch: app.fetch, port, hostname: host }) as Server;
        const onError = (error: Error) => {
          servers.delete(server);
          reject(error);
        };
        server.once('error', onError);
        server.once('listening', () => {
          server.off('error', onError);
          servers.add(server);
          const address = server.address() as AddressInfo;
          const shownHost = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host;
          const url = `http://${shownHost}:${address.port}`;
          let closed: Promise<void> | undefined;
          resolve({
            url,
            baseUrl: `${url}${API_PREFIX}`,
            port: address.port,
            close: () =>
              (closed ??= new Promise<void>((done) => {
                servers.delete(server);
                server.close(() => done());
                releaseHung();
                server.closeAllConnections();
              })),
          });
        });
      });
    },
    reset: () => core.reset(),
    connectIntegration(customer, slug, { status = 'active', sourceName } = {}) {
      if (!core.store.customer(customer)) throw new RangeError(`connectIntegration: no customer ${customer}.`);
      if (!networkBySlug(slug)) throw new RangeError(`connectIntegration: no network "${slug}"; see available_integrations in the merchant settings.`);
      if (!INTEGRATION_STATUSES.includes(status)) throw new RangeError(`connectIntegration: status must be one of ${INTEGRATION_STATUSES.join(', ')}.`);
      const integration = core.store.connectIntegration(customer, slug, status, clock.nowMs(), sourceName);
      core.persist();
      return integration.uuid;
    },
    requests: () => core.requests.map((record) => ({ ...record })),
    webhooks: {
      deliveries: () => core.webhooks.deliveries(),
      flush: () => core.webhooks.flush(),
    },
    async close() {
      releaseHung();
      await core.webhooks.close();
      await Promise.all(
        [...servers].map(
          (server) =>
            new Promise<void>((done) => {
              server.close(() => done());
              server.closeAllConnections();
            }),
        ),
      );
      servers.clear();
      core.persist();
    },
  };
  return sandbox;
}
