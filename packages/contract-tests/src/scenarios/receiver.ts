import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST the receiver got, and the status it answered. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  text: string;
  answered: number;
}

export interface Receiver {
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  /** What it received, oldest first. */
  received: ReceivedRequest[];
  /**
   * Resolves true once `count` requests arrived, false when the deadline passes first or `giveUp`
   * (asked between polls) answers true. Deadlines are generous: they only turn a hang into a failure.
   */
  waitFor(count: number, options: { deadlineMs: number; giveUp?: () => Promise<boolean> }): Promise<boolean>;
  close(): Promise<void>;
}

const POLL_MS = 100;

/** A webhook receiver on this machine's loopback interface, answering the n-th request (from 0) with `status(n)`. */
export async function startReceiver(status: (index: number) => number): Promise<Receiver> {
  const received: ReceivedRequest[] = [];
  const server = createServer(async (request, response) => {
    let text = '';
    for await (const chunk of request) text += chunk;
    const answered = status(received.length);
    received.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers, text, answered });
    response.writeHead(answered, { 'content-type': 'application/json' }).end(answered < 300 ? '' : JSON.stringify({ message: 'The receiver fails this attempt on purpose.' }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    async waitFor(count, { deadlineMs, giveUp }) {
      const deadline = Date.now() + deadlineMs;
      while (received.length < count) {
        if (Date.now() > deadline || (await giveUp?.())) return received.length >= count;
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      return true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
