import { retryAfterSeconds } from '@reportei-connect/client';

/** One request and what came back: the response, or the error that prevented one. */
export interface Exchange {
  method: string;
  url: URL;
  response: { status: number; headers: Headers; text: string } | undefined;
  error: unknown;
}

/** `GET /customers?per_page=0`: what was asked, to reproduce by hand. Never includes headers, so never a token. */
export function describeRequest({ method, url }: Pick<Exchange, 'method' | 'url'>): string {
  return `${method} ${url.pathname}${url.search}`;
}

/** How often a request answered 429 is sent again, after waiting as the server asks. */
const RATE_LIMIT_RETRIES = 3;
const MAX_WAIT_MS = 60_000;

/** The wait a 429 asks for: Retry-After (read as the client reads it) in seconds or as a date, else one second; at most a minute. */
function rateLimitWait(headers: Headers): number {
  return Math.min((retryAfterSeconds(headers.get('retry-after')) ?? 1) * 1000, MAX_WAIT_MS);
}

/**
 * A fetch that keeps a copy of every exchange it carries, for the checks to read: the client under
 * test parses the bodies, while the checks need the status, the headers and the raw text. A 429 is
 * the server pacing a long run, not a contract violation: it is waited out and the request sent again.
 */
export function recordingFetch(exchanges: Exchange[]): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const exchange: Exchange = { method: request.method, url: new URL(request.url), response: undefined, error: undefined };
    exchanges.push(exchange);
    try {
      for (let attempt = 0; ; attempt++) {
        const response = await fetch(request.clone());
        if (response.status === 429 && attempt < RATE_LIMIT_RETRIES) {
          await response.body?.cancel();
          await new Promise((resolve) => setTimeout(resolve, rateLimitWait(response.headers)));
          continue;
        }
        exchange.response = { status: response.status, headers: response.headers, text: await response.clone().text() };
        return response;
      }
    } catch (error) {
      exchange.error = error;
      throw error;
    }
  };
}

export interface RawRequest {
  baseUrl: string;
  method: string;
  /** Templated path, such as `/customers/{uuid}`. */
  path: string;
  pathParams?: Record<string, string>;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** Serialised as JSON when defined. */
  body?: unknown;
}

export function urlFor({ baseUrl, path, pathParams = {}, query = {} }: RawRequest): URL {
  const filled = path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = pathParams[name];
    if (value === undefined) throw new Error(`No value for path parameter ${name} of ${path}`);
    return encodeURIComponent(value);
  });
  const url = new URL(`${baseUrl.replace(/\/+$/, '')}${filled}`);
  for (const [name, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(name, String(value));
  return url;
}

/** Sends a request as written, valid or not: negative and property cases need what a typed client refuses to send. */
export async function sendRaw(request: RawRequest): Promise<Exchange> {
  const exchanges: Exchange[] = [];
  const headers = { accept: 'application/json', ...request.headers, ...(request.body !== undefined && { 'content-type': 'application/json' }) };
  await recordingFetch(exchanges)(urlFor(request), {
    method: request.method,
    headers,
    ...(request.body !== undefined && { body: JSON.stringify(request.body) }),
  }).catch(() => undefined); // the exchange keeps the error
  return exchanges[0]!;
}
