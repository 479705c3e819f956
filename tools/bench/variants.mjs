// The ways of making one API call that the per-call benchmark compares: raw fetch (with and without a
// per-call timeout signal), the client, and the libraries a user would otherwise pick (openapi-fetch,
// ky 1.x, ofetch, axios with its fetch adapter and with its default Node adapter).
//
// Every peer is configured as a careful user would: the same per-call timeout as the client (30 s by
// default), the response parsed as JSON, an error thrown on an error status (each library's default,
// checked by bench.test.mjs), and otherwise the library's defaults (its own retries included: no call
// of the benchmark fails, so they cost nothing). Each label carries the installed version.
import { pathToFileURL } from 'node:url';
import axios from 'axios';
import ky from 'ky';
import { ofetch } from 'ofetch';
import createOpenApiFetchClient from 'openapi-fetch';
import { installedVersion, packageEntries, publicPackages } from './packages.mjs';

/** The one call every variant makes, and its bearer token. */
export const PATH = '/merchants/settings';
export const TOKEN = 'bench-merchant-token';
/** The client's default per-attempt timeout, given to every variant that has a timeout. */
export const TIMEOUT_MS = 30_000;

/**
 * @typedef {'raw' | 'rawWithTimeout' | 'openapiFetch' | 'client' | 'ky' | 'ofetch' | 'axiosFetch' | 'axiosHttp'} VariantId
 * @typedef {object} Variant
 * @property {VariantId} id
 * @property {string} name the label in tables, with the library's version
 * @property {'baseline' | 'reference' | 'client' | 'peer'} role
 * @property {() => Promise<unknown>} call one GET /merchants/settings resolving to the parsed body; rejects on an error status or after the timeout
 */

/**
 * @typedef {object} VariantOptions
 * @property {string} baseUrl the server's origin, such as http://127.0.0.1:1234
 * @property {number} [timeoutMs] per-call timeout of every variant that has one (default TIMEOUT_MS)
 * @property {string} [clientFile] the built client's entry; without it, no client row
 */

/** @param {VariantOptions} options @returns {Variant} */
function rawFetch({ baseUrl }) {
  const url = `${baseUrl}${PATH}`;
  const init = { headers: { authorization: `Bearer ${TOKEN}` } };
  return {
    id: 'raw',
    name: 'raw fetch + res.json()',
    role: 'baseline',
    async call() {
      const res = await fetch(url, init);
      if (!res.ok) throw new Error(`raw fetch: HTTP ${res.status}`);
      return res.json();
    },
  };
}

/**
 * Raw fetch plus what any client that enforces a per-attempt timeout must do on every call: an
 * AbortController whose signal goes to fetch, and a timer cleared once the body is read. The reference
 * the client's budget is measured against.
 * @param {VariantOptions} options
 * @returns {Variant}
 */
function rawFetchWithTimeout({ baseUrl, timeoutMs = TIMEOUT_MS }) {
  const url = `${baseUrl}${PATH}`;
  const headers = { authorization: `Bearer ${TOKEN}` };
  return {
    id: 'rawWithTimeout',
    name: 'raw fetch + per-call timeout signal',
    role: 'reference',
    async call() {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
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

/**
 * openapi-fetch, which the client builds on: it has no timeout option, so a careful user passes a
 * signal per call, `AbortSignal.timeout` (the documented way); it parses JSON but resolves on an
 * error status, so `response.ok` is checked by hand, as its users must.
 * @param {VariantOptions} options
 * @returns {Variant}
 */
function openApiFetch({ baseUrl, timeoutMs = TIMEOUT_MS }) {
  /** The one operation the benchmark calls, typed as openapi-fetch needs it.
   * @typedef {{ '/merchants/settings': { get: { responses: { 200: { content: { 'application/json': unknown } } } } } }} Paths */
  /** @type {import('openapi-fetch').Client<Paths>} */
  const api = createOpenApiFetchClient({ baseUrl, headers: { authorization: `Bearer ${TOKEN}` } });
  return {
    id: 'openapiFetch',
    name: `openapi-fetch ${installedVersion('openapi-fetch')} + AbortSignal.timeout`,
    role: 'peer',
    async call() {
      const { data, response } = await api.GET(PATH, { signal: AbortSignal.timeout(timeoutMs) });
      if (!response.ok) throw new Error(`openapi-fetch: HTTP ${response.status}`);
      return data;
    },
  };
}

/** ky: `timeout` per attempt, throws HTTPError on an error status, `.json()` parses. @param {VariantOptions} options @returns {Variant} */
function kyVariant({ baseUrl, timeoutMs = TIMEOUT_MS }) {
  const api = ky.create({ prefixUrl: baseUrl, timeout: timeoutMs, headers: { authorization: `Bearer ${TOKEN}` } });
  const path = PATH.slice(1); // ky's prefixUrl takes a path without its leading slash
  return { id: 'ky', name: `ky ${installedVersion('ky')}`, role: 'peer', call: () => api.get(path).json() };
}

/** ofetch: `timeout`, parses JSON by default, throws FetchError on 4xx and 5xx. @param {VariantOptions} options @returns {Variant} */
function ofetchVariant({ baseUrl, timeoutMs = TIMEOUT_MS }) {
  const api = ofetch.create({ baseURL: baseUrl, timeout: timeoutMs, headers: { authorization: `Bearer ${TOKEN}` } });
  return { id: 'ofetch', name: `ofetch ${installedVersion('ofetch')}`, role: 'peer', call: () => api(PATH) };
}

/**
 * axios: `timeout`, parses JSON by default, rejects outside 2xx (`validateStatus`). `adapter: 'fetch'`
 * uses the global fetch like every other variant; `'http'` is its default in Node (node:http with
 * Node's global agent, which keeps connections alive).
 * @param {VariantOptions} options
 * @param {'fetch' | 'http'} adapter
 * @returns {Variant}
 */
function axiosVariant({ baseUrl, timeoutMs = TIMEOUT_MS }, adapter) {
  const api = axios.create({ baseURL: baseUrl, timeout: timeoutMs, adapter, headers: { authorization: `Bearer ${TOKEN}` } });
  return {
    id: adapter === 'fetch' ? 'axiosFetch' : 'axiosHttp',
    name: `axios ${installedVersion('axios')} (${adapter === 'fetch' ? 'fetch adapter' : "http adapter, Node's default"})`,
    role: 'peer',
    call: async () => (await api.get(PATH)).data,
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

/** The client as users get it: defaults for everything (retries, 30 s timeout) but the timeout given. @param {VariantOptions & { clientFile: string }} options @returns {Promise<Variant>} */
async function clientVariant({ baseUrl, timeoutMs = TIMEOUT_MS, clientFile }) {
  const { createConnectClient } = await import(pathToFileURL(clientFile).href);
  const connect = createConnectClient({ token: TOKEN, baseUrl, timeoutMs });
  return { id: 'client', name: '@reportei-connect/client', role: 'client', call: () => connect.getMerchantSettings() };
}

/**
 * Every variant, in table order: raw fetch first (the baseline of "vs raw fetch"), then raw fetch with
 * the timeout (the reference of the client's budget), the client (when built), then the peers.
 * @param {VariantOptions} options
 * @returns {Promise<Variant[]>}
 */
export async function createVariants(options) {
  const variants = [rawFetch(options), rawFetchWithTimeout(options)];
  if (options.clientFile) variants.push(await clientVariant({ ...options, clientFile: options.clientFile }));
  variants.push(openApiFetch(options), kyVariant(options), ofetchVariant(options), axiosVariant(options, 'fetch'), axiosVariant(options, 'http'));
  return variants;
}
