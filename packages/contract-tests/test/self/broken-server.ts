import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { matchOperation } from '@reportei-connect/spec-model';
import type { OperationSpec } from '../../src/spec.js';

/** What the broken server answers, before it is sent. */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** Close the connection instead of answering. */
  drop?: boolean;
}

/** One way of breaking an operation: on its requests before they go upstream, on its successful answers, or on its error answers. */
export interface Breakage {
  operationId: string;
  request?(headers: Record<string, string>): void;
  success?(answer: Answer): void;
  failure?(answer: Answer): void;
}

/** A result of the shape the component's schema gives. */
const resultOf = (component: string): unknown =>
  component === 'chart_v1' ? { labels: ['2024-09-24'], values: [{ data: [42] }] } : component === 'datatable_v1' ? { values: [['Total', 42]] } : { values: 42 };

const uuidPattern = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * A stand-in for a real server, built on the stateless mock: it forwards each request to Prism, but
 * answers 404 for uuids the spec's examples do not know (a real server knows its records), answers
 * getMetricsData with one result of its component's shape per requested metric id, and applies each of `breakages` to its operation.
 */
export async function startBrokenServer(options: { upstream: string; document: object; operations: OperationSpec[]; breakages: readonly Breakage[] }) {
  const knownUuids = new Set(JSON.stringify(options.document).match(uuidPattern)?.map((uuid) => uuid.toLowerCase()));
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString();
    const url = new URL(request.url ?? '/', 'http://broken.invalid');
    const method = request.method ?? 'GET';
    const operation = matchOperation(options.operations, method, url.pathname)?.operation;
    const breakages = options.breakages.filter((breakage) => breakage.operationId === operation?.id);

    const headers = forwardable(request.headers);
    const pathUuids = url.pathname.match(uuidPattern) ?? [];
    if (pathUuids.some((uuid) => !knownUuids.has(uuid.toLowerCase()))) headers.prefer = 'code=404';
    for (const breakage of breakages) breakage.request?.(headers);

    const upstream = await fetch(`${options.upstream}${url.pathname}${url.search}`, { method, headers, ...(text && { body: text }) });
    const answer: Answer = { status: upstream.status, headers: {}, body: await upstream.json().catch(() => undefined) };
    for (const name of ['content-type', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'retry-after']) {
      const value = upstream.headers.get(name);
      if (value !== null) answer.headers[name] = value;
    }
    if (answer.status < 300) {
      if (operation?.id === 'getMetricsData') {
        const { metrics } = JSON.parse(text) as { metrics: { id: string; component: string }[] };
        answer.body = Object.fromEntries(metrics.map((metric) => [metric.id, resultOf(metric.component)]));
      }
      for (const breakage of breakages) breakage.success?.(answer);
    } else {
      for (const breakage of breakages) breakage.failure?.(answer);
    }
    if (answer.drop) response.socket?.destroy();
    else response.writeHead(answer.status, answer.headers).end(answer.body === undefined ? '' : JSON.stringify(answer.body));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function forwardable(incoming: IncomingHttpHeaders): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name)) headers[name] = value;
  }
  return headers;
}
