import { createHash } from 'node:crypto';

/**
 * Everything the sandbox makes up (ids, tokens, metric values) is derived from its seed, so two
 * sandboxes with the same seed, given the same requests, answer the same.
 */

/** The SHA-256 of the parts, joined unambiguously, in hex. */
function digest(...parts: (string | number)[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** A version 4 UUID made from the parts (random-looking, but the same parts give the same uuid). */
export function uuidFrom(...parts: (string | number)[]): string {
  const hex = digest('uuid', ...parts);
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A 64-character hex token made from the parts, shaped like the API's customer tokens. */
export function tokenFrom(...parts: (string | number)[]): string {
  return digest('token', ...parts);
}

/**
 * A fast, well-mixed 53-bit hash of a string (cyrb53), scaled to [0, 1). Metric values need many of
 * these per request, where SHA-256 would be needlessly slow.
 */
export function unitHash(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)) / 2 ** 53;
}
