import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** Sent as JSON unless it is a string. */
  body?: unknown;
  /** Never answer (until the server closes). */
  hang?: boolean;
  /** Drop the connection without answering. */
  drop?: boolean;
  /** Send the status, the headers and half the body, then never finish (`hang`) or drop the connection (`drop`). */
  cut?: 'hang' | 'drop';
}

/**
 * A real HTTP server on 127.0.0.1 and a random port, answering each request with `reply(request, n)`
 * (n counts requests from 0) and recording what it received.
 */
export async function serve(reply: (request: Received, n: number) => Reply | Promise<Reply>) {
  const received: Received[] = [];
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const request = { method: req.method!, url: req.url!, headers: req.headers, body };
    received.push(request);
    const answer = await reply(request, received.length - 1);
    if (answer.drop) return void req.socket.destroy();
    if (answer.hang) return;
    const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? {});
    res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...answer.headers });
    if (!answer.cut) return void res.end(text);
    // Once the first half is handed to the network, so that the client has the headers first.
    res.write(text.slice(0, text.length / 2), () => answer.cut === 'drop' && req.socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type Server = Awaited<ReturnType<typeof serve>>;
