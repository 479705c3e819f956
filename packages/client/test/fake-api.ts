import { createConnectClient, type ConnectClientOptions } from '../src/index.js';

export const TOKEN = 'merchant-secret-token-0123456789';

export interface FakeAnswer {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * A client whose `fetch` never leaves the process: each request is recorded with the (possibly fake)
 * time it was sent and answered by `answer(n)`, n counting requests from 0. With fake timers, this
 * makes every wait of the client exact and instant.
 */
export function fakeApi(answer: (n: number) => FakeAnswer | Promise<FakeAnswer>, options: ConnectClientOptions = {}) {
  const sentAt: number[] = [];
  const fetch = async (_input: RequestInfo | URL, _init?: RequestInit) => {
    sentAt.push(Date.now());
    const { status = 200, headers, body = {} } = await answer(sentAt.length - 1);
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
  };
  const connect = createConnectClient({ token: TOKEN, baseUrl: 'http://api.test', fetch, retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2 }, ...options });
  return { connect, sentAt };
}

/** `X-RateLimit-*` headers. */
export const budget = (limit: number, remaining: number) => ({ 'x-ratelimit-limit': String(limit), 'x-ratelimit-remaining': String(remaining) });
