import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { ConnectError, ConnectResponseTooLargeError, createConnectClient } from '../src/index.js';
import { TOKEN } from './fake-api.js';

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** A loopback server answering with `write(res)`; `closed` resolves with how many bytes it wrote when the client hung up. */
async function loopback(write: (res: ServerResponse) => void, options: { maxResponseBytes?: number } = {}) {
  let requests = 0;
  let resolveClosed: (written: number) => void;
  const closed = new Promise<number>((resolve) => (resolveClosed = resolve));
  const server = createServer((req, res) => {
    requests++;
    res.on('close', () => resolveClosed(req.socket.bytesWritten));
    write(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => {
    server.closeAllConnections();
    server.close();
  });
  const connect = createConnectClient({ token: TOKEN, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2 }, ...options });
  return { connect, closed, requests: () => requests };
}

/** Writes 64 KiB chunks for as long as the client reads them: a body without end. */
function endless(res: ServerResponse) {
  res.writeHead(200, { 'content-type': 'application/json' });
  const chunk = Buffer.alloc(64 * 1024, ' ');
  res.write('[');
  const more = () => {
    while (!res.destroyed && res.write(chunk));
    if (!res.destroyed) res.once('drain', more);
  };
  more();
}

describe('maxResponseBytes', () => {
  test('an endless body is abandoned once it passes the limit: its own error, not retried, the connection closed', async () => {
    const { connect, closed, requests } = await loopback(endless);
    const error = await connect.getMerchantSettings(undefined, { maxResponseBytes: 1_000_000 }).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ConnectResponseTooLargeError);
    expect(error).toMatchObject({ name: 'ConnectResponseTooLargeError', status: 200, method: 'GET', path: '/merchants/settings' });
    expect((error as Error).message).toBe(
      'GET /merchants/settings answered 200 with a body over maxResponseBytes (1000000 bytes), abandoned: raise maxResponseBytes, for the client or this call, if such answers are expected.',
    );
    // The server stopped at what the socket buffers held: memory stayed bounded.
    expect(await closed).toBeLessThan(64 * 2 ** 20);
    expect(requests()).toBe(1);
  });

  test('a Content-Length over the default 50 MiB is refused before anything is read', async () => {
    const { connect, closed } = await loopback((res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(50 * 2 ** 20 + 1) });
      res.write('{');
    });
    await expect(connect.getMerchantSettings()).rejects.toThrow('with a body over maxResponseBytes (52428800 bytes), abandoned');
    expect(await closed).toBeLessThan(2 ** 20);
  });

  test('the client option applies to raw too; a call may raise it, and a body within it is read', async () => {
    const { connect } = await loopback((res) => res.end(JSON.stringify({ merchant: { name: 'x'.repeat(200) } })), { maxResponseBytes: 100 });
    await expect(connect.raw.GET('/merchants/settings')).rejects.toBeInstanceOf(ConnectResponseTooLargeError);
    await expect(connect.getMerchantSettings()).rejects.toBeInstanceOf(ConnectResponseTooLargeError);
    await expect(connect.getMerchantSettings(undefined, { maxResponseBytes: 1000 })).resolves.toMatchObject({ merchant: { name: 'x'.repeat(200) } });
  });

  test('an invalid maxResponseBytes is refused, saying what to pass', async () => {
    expect(() => createConnectClient({ token: TOKEN, maxResponseBytes: -1 })).toThrow(
      'createConnectClient: maxResponseBytes must be a whole number of bytes, 0 or more (default 52428800, 50 MiB).',
    );
    const { connect } = await loopback((res) => res.end('{}'));
    await expect(connect.getMerchantSettings(undefined, { maxResponseBytes: 1.5 })).rejects.toThrow('GET /merchants/settings: maxResponseBytes must be a whole number');
  });
});

describe('a success that is not what the spec gives', () => {
  test('an HTML page is an error saying what came back, without the token', async () => {
    const { connect } = await loopback((res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html>\n<html><title>Sign in</title> ${TOKEN}</html>`);
    });
    const error = (await connect.getMerchantSettings().catch((reason: unknown) => reason)) as ConnectError;
    expect(error).toBeInstanceOf(ConnectError);
    expect(error.message).toBe(
      'GET /merchants/settings answered 200 with text/html; charset=utf-8 that is not JSON (84 characters, starting "<!doctype html> <html><title>Sign in</title> [redacted]</h"): baseUrl is probably not the API, or a proxy answered. Check baseUrl.',
    );
  });

  test('an empty body where the spec gives one is an error; raw passes it through', async () => {
    const { connect, requests } = await loopback((res) => res.end());
    await expect(connect.getMerchantSettings()).rejects.toThrow(
      'GET /merchants/settings answered 200 with an empty body where the API sends JSON: check baseUrl, and any proxy in between.',
    );
    expect(requests()).toBe(1);
    await expect(connect.raw.GET('/merchants/settings')).resolves.toMatchObject({ data: undefined, response: { status: 200 } });
  });
});
