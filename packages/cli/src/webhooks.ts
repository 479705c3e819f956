// `connect webhooks listen`: a receiver on the loopback interface for the metrics webhook of
// getMetricsDataAsync, as `stripe listen` is for Stripe's events. Each payload is checked with the
// client's parseMetricsWebhook, printed, and forwarded to `--forward-to`, whose answer goes back to the
// sender, so that the API (or the sandbox) retries when the application behind it fails.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MetricsWebhookError, parseMetricsWebhook } from '@reportei-connect/client/webhooks';
import { type OutputMode, UsageError, render, writeErr, writeOut } from './output.js';

/** The address it listens on: this machine only. */
const HOST = '127.0.0.1';
/** The largest payload accepted; parseMetricsWebhook is given the same limit. */
const MAX_BYTES = 5 * 1024 * 1024;
/** How long the forward target may take to answer. */
const FORWARD_TIMEOUT_MS = 30_000;
/** Headers that describe one connection, not the request, so are not forwarded. */
const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'upgrade']);

export interface ListenOptions {
  port: number;
  forwardTo?: string | undefined;
  mode: OutputMode;
}

/** The request's body, or undefined once it passes `MAX_BYTES` (the rest is not read). */
async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const answer = (response: ServerResponse, status: number, message: string) =>
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ message }));

/** POSTs the payload to `target` as it came, and relays the answer. */
async function forward(target: string, request: IncomingMessage, body: Buffer, response: ServerResponse): Promise<void> {
  const headers = Object.entries(request.headers).flatMap(([name, value]) => (HOP_BY_HOP.has(name) || value === undefined ? [] : [[name, String(value)] as [string, string]]));
  try {
    const forwarded = await fetch(target, { method: 'POST', headers, body: new Uint8Array(body), signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS) });
    const text = await forwarded.text();
    writeErr(`connect: forwarded to ${target}: ${forwarded.status}\n`);
    response.writeHead(forwarded.status, { 'content-type': forwarded.headers.get('content-type') ?? 'text/plain' }).end(text);
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    writeErr(`connect: could not forward to ${target} (${cause}): is your server running? The sender gets a 502 and may retry.\n`);
    answer(response, 502, `Could not forward to ${target}.`);
  }
}

/** Starts the receiver; resolves once it listens. Ctrl-C (or SIGTERM) stops it. */
export async function listen({ port, forwardTo, mode }: ListenOptions): Promise<void> {
  if (forwardTo !== undefined && !/^https?:\/\/\S+$/i.test(forwardTo)) throw new UsageError(`--forward-to must be an http or https URL, got "${forwardTo}".`);
  const server = createServer(async (request, response) => {
    if (request.method !== 'POST') return answer(response.setHeader('allow', 'POST'), 405, 'POST the metrics webhook here.');
    const body = await readBody(request);
    if (body === undefined) return answer(response, 413, `The payload is larger than ${MAX_BYTES} bytes.`);
    let results: unknown;
    try {
      results = parseMetricsWebhook(body, { maxBytes: MAX_BYTES });
    } catch (error) {
      if (!(error instanceof MetricsWebhookError)) throw error;
      writeErr(`connect: rejected a webhook on ${request.url}: ${error.message}\n`);
      return answer(response, 400, error.message);
    }
    if (mode === 'json') writeOut(`${JSON.stringify(results)}\n`);
    else {
      writeErr(`connect: metrics webhook on ${request.url} at ${new Date().toISOString()}\n`);
      writeOut(render(results, mode));
    }
    if (forwardTo) await forward(forwardTo, request, body, response);
    else response.writeHead(204).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new UsageError(`port ${port} is in use: pass another --port, or --port 0 for a free one.`) : error),
    );
    server.listen(port, HOST, resolve);
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      server.closeAllConnections();
      server.close(() => process.exit(0));
    });
  }
  const url = `http://${HOST}:${(server.address() as AddressInfo).port}/`;
  writeErr(
    `connect: listening on ${url} for metrics webhooks: give it (any path under it) as --metrics-webhook-url.\n` +
      `${forwardTo ? `Each valid one is printed and forwarded to ${forwardTo}.` : 'Each valid one is printed and answered 204 (add --forward-to <url> to pass it on).'} Ctrl-C stops.\n`,
  );
}
