import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { recordingFetch, sendRaw, urlFor, type Exchange } from '../../src/exchange.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A loopback server answering 429 (Retry-After: 0) `limited` times, then 200 with the body it received. */
async function pacedServer(limited: number) {
  const received: string[] = [];
  server = createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    received.push(body);
    if (received.length <= limited) response.writeHead(429, { 'retry-after': '0', 'content-type': 'application/json' }).end('{"message":"Too Many Attempts."}');
    else response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ echo: body }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

describe('recordingFetch', () => {
  it('records the exchange, and hands the caller an unread response', async () => {
    const { url } = await pacedServer(0);
    const exchanges: Exchange[] = [];
    const response = await recordingFetch(exchanges)(`${url}/things?x=1`, { method: 'POST', body: 'hello' });
    expect(await response.json()).toEqual({ echo: 'hello' });
    expect(exchanges).toHaveLength(1);
    expect(exchanges[0]).toMatchObject({ method: 'POST', response: { status: 200, text: '{"echo":"hello"}' } });
  });

  it('waits out a 429 and sends the same request again, recording only the final answer', async () => {
    const { url, received } = await pacedServer(2);
    const exchanges: Exchange[] = [];
    await recordingFetch(exchanges)(url, { method: 'POST', body: 'again' });
    expect(received).toEqual(['again', 'again', 'again']);
    expect(exchanges.map((exchange) => exchange.response?.status)).toEqual([200]);
  });

  it('gives up after three retries and records the 429', async () => {
    const { url, received } = await pacedServer(10);
    const exchanges: Exchange[] = [];
    await recordingFetch(exchanges)(url);
    expect(received).toHaveLength(4);
    expect(exchanges[0]?.response?.status).toBe(429);
  });
});

describe('sendRaw', () => {
  it('records a network failure instead of throwing', async () => {
    const { url } = await pacedServer(0);
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    const exchange = await sendRaw({ baseUrl: url, method: 'GET', path: '/merchants/settings' });
    expect(exchange.response).toBeUndefined();
    expect(exchange.error).toBeInstanceOf(Error);
  });
});

describe('urlFor', () => {
  it('fills and encodes path parameters under a base URL with a path, and adds the query', () => {
    const url = urlFor({ baseUrl: 'https://connect.reportei.com/api/', method: 'GET', path: '/customers/{uuid}', pathParams: { uuid: 'a b/c' }, query: { page: 2, skip: undefined } });
    expect(url.href).toBe('https://connect.reportei.com/api/customers/a%20b%2Fc?page=2');
  });

  it('names a missing path parameter', () => {
    expect(() => urlFor({ baseUrl: 'http://127.0.0.1', method: 'GET', path: '/customers/{uuid}' })).toThrow('No value for path parameter uuid of /customers/{uuid}');
  });
});
