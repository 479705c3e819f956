import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { networkBySlug } from './catalogue.js';
import type { SandboxClock } from './clock.js';
import { API_PREFIX, DROPPED_HEADER } from './http/respond.js';
import { Runtime, type RequestRecord } from './runtime.js';
import { loadSpec } from './spec.js';
import { INTEGRATION_STATUSES, type IntegrationStatus } from './store.js';
import { isHttpUrl } from './url.js';
import type { WebhookDelivery, WebhookOptions } from './webhooks.js';

export { DEFAULT_SEED } from './runtime.js';
export const DEFAULT_PORT = 4011;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_MERCHANT_TOKEN = 'sandbox-merchant-token';
export const DEFAULT_RATE_LIMIT = 6000;
export const DEFAULT_MAX_BODY_BYTES: number = 1024 * 1024;
/** The base URL of the in-process `fetch`: a name that never resolves, so nothing reaches the network by mistake. */
export const IN_PROCESS_ORIGIN = 'http://connect-sandbox.invalid';

export interface SandboxOptions {
  /**
   * Ids and metric values derive from it (default `connect-sandbox`); given, customer tokens derive
   * from it too, reproducibly. Without it, tokens derive from a random secret (kept in the state file).
   */
  seed?: string | undefined;
  /** The one merchant token the sandbox accepts. Default `sandbox-merchant-token`. */
  merchantToken?: string | undefined;
  /** Requests per minute, per token, before 429. Default 6000. */
  rateLimit?: number | undefined;
  /** Requests per second, per token, before 429, besides the minute's. Default: none. */
  rateLimitPerSecond?: number | undefined;
  /**
   * A JSON file that keeps the state across restarts (with a journal beside it, `<file>.journal`):
   * every change is on disk before it is answered. A missing file is created from the seed; an
   * unreadable or corrupt one, or one another process holds, throws a `SandboxStateError`.
   */
  stateFile?: string | undefined;
  /** Origins whose pages may call the sandbox besides loopback ones (`--allow-origin`), such as `https://app.example`. */
  allowOrigins?: readonly string[] | undefined;
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
  /**
   * The four variables that point the client, the CLI, the MCP server and the examples at this server,
   * as `connect-sandbox` prints them: its base URL, the merchant token, and the demo customer's token
   * and active integration.
   */
  env: SandboxEnv;
  /** Stops listening, drops open connections and releases hung requests. */
  close(): Promise<void>;
}

export interface SandboxEnv {
  REPORTEI_CONNECT_BASE_URL: string;
  REPORTEI_CONNECT_TOKEN: string;
  REPORTEI_CONNECT_CUSTOMER_TOKEN: string;
  REPORTEI_CONNECT_CUSTOMER_INTEGRATION: string;
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
  /** The pending deliveries: where each goes and when its next attempt is due (null while one is under way). */
  pending(): { id: string; url: string; nextAttemptAt: string | null }[];
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
  /**
   * Closes every listener and releases hung requests; then stops webhook deliveries (with a state
   * file, pending ones are kept for the next start; without, they are cancelled) and releases the
   * state file's lock.
   */
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
  const allowOrigins = options.allowOrigins ?? [];
  check(typeof merchantToken === 'string' && /^\S+$/.test(merchantToken), 'merchantToken must be a non-empty string without spaces.');
  check(Number.isInteger(rateLimit) && rateLimit >= 1, 'rateLimit must be a whole number of requests per minute, 1 or more.');
  const perSecond = options.rateLimitPerSecond;
  check(perSecond === undefined || (Number.isInteger(perSecond) && perSecond >= 1), 'rateLimitPerSecond must be a whole number of requests per second, 1 or more.');
  check(Number.isInteger(maxBodyBytes) && maxBodyBytes >= 1, 'maxBodyBytes must be a whole number of bytes, 1 or more.');
  check(options.seed === undefined || typeof options.seed === 'string', 'seed must be a string.');
  check(options.redirectUrl === undefined || isHttpUrl(options.redirectUrl), 'redirectUrl must be an http or https URL.');
  check(Array.isArray(allowOrigins) && allowOrigins.every((origin) => isHttpUrl(origin) && new URL(origin).origin === origin), 'allowOrigins must be origins such as https://app.example (scheme, host and port only).');
  let startMs: number | undefined;
  if (options.now !== undefined) {
    startMs = new Date(options.now).getTime();
    check(Number.isFinite(startMs), 'now must be a Date or an RFC 3339 date and time.');
  }

  const spec = loadSpec();
  const runtime = new Runtime({ seed: options.seed, stateFile: options.stateFile, startMs, rateLimit: { perMinute: rateLimit, perSecond }, webhooks: options.webhooks ?? {} });
  const hung = new Set<() => void>();
  const listenHosts = new Set<string>();
  const app = createApp({
    spec,
    runtime,
    merchantToken,
    maxBodyBytes,
    redirectUrl: options.redirectUrl,
    guard: { hosts: listenHosts, allowOrigins, inProcessHost: new URL(IN_PROCESS_ORIGIN).hostname },
    hung,
    onRequest: options.onRequest,
  });

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
    for (const release of [...hung]) release();
  };

  const sandbox: Sandbox = {
    fetch: inProcessFetch as typeof fetch,
    baseUrl: `${IN_PROCESS_ORIGIN}${API_PREFIX}`,
    merchantToken,
    get customerToken() {
      return runtime.store.demo.token;
    },
    get integration() {
      return runtime.store.demo.integration;
    },
    get demo() {
      const { customer, token, integration } = runtime.store.demo;
      return { uuid: customer, token, integration };
    },
    clock: {
      now: () => runtime.clock.now(),
      advance: (seconds) => runtime.change(() => runtime.clock.advance(seconds)),
      set: (to) => runtime.change(() => runtime.clock.set(to)),
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
          listenHosts.add(host);
          const address = server.address() as AddressInfo;
          const shownHost = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host;
          const url = `http://${shownHost}:${address.port}`;
          let closed: Promise<void> | undefined;
          const baseUrl = `${url}${API_PREFIX}`;
          resolve({
            url,
            baseUrl,
            port: address.port,
            get env() {
              return {
                REPORTEI_CONNECT_BASE_URL: baseUrl,
                REPORTEI_CONNECT_TOKEN: merchantToken,
                REPORTEI_CONNECT_CUSTOMER_TOKEN: sandbox.customerToken,
                REPORTEI_CONNECT_CUSTOMER_INTEGRATION: sandbox.integration,
              };
            },
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
    reset: () => runtime.reset(),
    connectIntegration(customer, slug, { status = 'active', sourceName } = {}) {
      if (!runtime.store.customer(customer)) throw new RangeError(`connectIntegration: no customer ${customer}.`);
      if (!networkBySlug(slug)) throw new RangeError(`connectIntegration: no network "${slug}"; see available_integrations in the merchant settings.`);
      if (!INTEGRATION_STATUSES.includes(status)) throw new RangeError(`connectIntegration: status must be one of ${INTEGRATION_STATUSES.join(', ')}.`);
      return runtime.change(() => runtime.store.connectIntegration(customer, slug, status, runtime.clock.nowMs(), sourceName)).uuid;
    },
    requests: () => runtime.requests.map((record) => ({ ...record })),
    webhooks: {
      deliveries: () => runtime.webhooks.deliveries(),
      pending: () => runtime.webhooks.pending(),
      flush: () => runtime.webhooks.flush(),
    },
    async close() {
      releaseHung();
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
      await runtime.close();
    },
  };
  return sandbox;
}
