import { ConnectError } from './errors.js';

/** The default `maxResponseBytes`: 50 MiB, far above any answer of the API. */
export const DEFAULT_MAX_RESPONSE_BYTES = 50 * 2 ** 20;

/**
 * A response body over `maxResponseBytes` (by its `Content-Length`, or while it was read): abandoned
 * at once, never retried. `status` is the response's.
 */
export class ConnectResponseTooLargeError extends ConnectError {
  override readonly name = 'ConnectResponseTooLargeError';
}

export function checkMaxBytes(value: unknown, fallback: number, where: string): number {
  if (value === undefined) return fallback;
  if (Number.isSafeInteger(value) && (value as number) >= 0) return value as number;
  throw new TypeError(`${where}: maxResponseBytes must be a whole number of bytes, 0 or more (default ${DEFAULT_MAX_RESPONSE_BYTES}, 50 MiB).`);
}

/**
 * The body's text, read up to `maxBytes` bytes (decoded, as fetch hands them over): a larger body is
 * cancelled, which closes its connection, so that memory stays bounded whatever the server sends.
 */
export async function readText(response: Response, maxBytes: number, method: string, path: string): Promise<string> {
  const tooLarge = () =>
    new ConnectResponseTooLargeError(
      `${method} ${path} answered ${response.status} with a body over maxResponseBytes (${maxBytes} bytes), abandoned: raise maxResponseBytes, for the client or this call, if such answers are expected.`,
      { status: response.status, method, path },
    );
  const declared = response.headers.get('content-length');
  if (declared !== null && +declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  // A declared length within the limit is all fetch reads, unless it is compressed (the limit counts
  // decoded bytes): the fast path of the common case.
  if ((declared !== null && !response.headers.has('content-encoding')) || !response.body) return response.text();
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (let size = 0; ; ) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    text += decoder.decode(value, { stream: true });
  }
}

/**
 * The parsed body of a success that must hold JSON; throws a ConnectError saying what came instead:
 * nothing, or the content type and start of something else (an HTML page from a proxy or a login form).
 */
export function parseSuccess(response: Response, text: string, method: string, path: string, scrub: <T>(value: T) => T): unknown {
  const details = { status: response.status, method, path };
  if (!text) throw new ConnectError(`${method} ${path} answered ${response.status} with an empty body where the API sends JSON: check baseUrl, and any proxy in between.`, details);
  try {
    return JSON.parse(text);
  } catch {
    const type = response.headers.get('content-type') ?? 'no content type';
    const start = scrub(text.slice(0, 80).replace(/\s+/g, ' '));
    throw new ConnectError(
      `${method} ${path} answered ${response.status} with ${type} that is not JSON (${text.length} characters, starting "${start}"): baseUrl is probably not the API, or a proxy answered. Check baseUrl.`,
      { ...details, body: scrub(text) },
    );
  }
}
