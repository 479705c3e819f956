import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { matchOperation } from '@reportei-connect/spec-model';
import type { OperationSpec } from '../../src/spec.js';

/** A request on its way to the sandbox, as a fault sees it. */
export interface ProxiedRequest {
  method: string;
  /** Path and query, as received: `/api/customers?page=2`. */
  url: URL;
  headers: Record<string, string>;
  text: string;
  /** The API operation it is for, and its path parameters; undefined for the sandbox's own endpoints. */
  operationId: string | undefined;
  pathParams: Record<string, string>;
}

export interface ProxiedAnswer {
  status: number;
  headers: Record<string, string>;
  text: string;
}

export type Next = (request: ProxiedRequest) => Promise<ProxiedAnswer>;

/** One way of breaking a stateful server: it sees every request, and answers it, usually through `next` (the faults after it, then the sandbox). */
export type Fault = (request: ProxiedRequest, next: Next) => Promise<ProxiedAnswer>;

/** The API's path prefix on a sandbox. */
const API_PREFIX = '/api';
const KEPT_HEADERS = ['content-type', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'retry-after'];

/**
 * A stand-in for a stateful server that breaks the spec: a proxy in front of a real
 * @reportei-connect/sandbox (`upstream`, its origin) that applies `faults` in order, so that every
 * answer is the sandbox's but for what the faults change. The sandbox's control endpoints pass through.
 */
export async function startStatefulBrokenServer(options: { upstream: string; operations: OperationSpec[]; faults: readonly Fault[] }) {
  const forward: Next = async ({ method, url, headers, text }) => {
    const response = await fetch(`${options.upstream}${url.pathname}${url.search}`, { method, headers, ...(text && { body: text }) });
    const kept: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const value = response.headers.get(name);
      if (value !== null) kept[name] = value;
    }
    return { status: response.status, headers: kept, text: await response.text() };
  };
  const handle = options.faults.reduceRight<Next>((next, fault) => (request) => fault(request, next), forward);

  const server = createServer(async (incoming, outgoing) => {
    let text = '';
    for await (const chunk of incoming) text += chunk;
    const url = new URL(incoming.url ?? '/', 'http://broken.invalid');
    const method = incoming.method ?? 'GET';
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(incoming.headers)) {
      if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name)) headers[name] = value;
    }
    const match = url.pathname.startsWith(`${API_PREFIX}/`) ? matchOperation(options.operations, method, url.pathname.slice(API_PREFIX.length)) : undefined;
    try {
      const answer = await handle({ method, url, headers, text, operationId: match?.operation.id, pathParams: match?.pathParams ?? {} });
      outgoing.writeHead(answer.status, answer.headers).end(answer.text);
    } catch (error) {
      outgoing.writeHead(502, { 'content-type': 'text/plain' }).end(`The broken server failed: ${String(error)}`);
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The same request as a GET of another path (to learn a record, or the rate-limit headers of an answer made up). */
export const getOf = (request: ProxiedRequest, pathname: string): ProxiedRequest => ({ ...request, method: 'GET', url: new URL(pathname, request.url), text: '' });

/** A JSON answer with the headers of `like` (content type, rate limits), as the sandbox would send it. */
export const jsonAnswer = (like: ProxiedAnswer, status: number, body: unknown): ProxiedAnswer => ({ status, headers: like.headers, text: JSON.stringify(body) });
