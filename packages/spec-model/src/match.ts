// Routing a concrete request to the operation whose templated path it fits.
import type { HttpMethod } from './document.js';

type Routable = { method: HttpMethod; path: string };

interface CompiledPath {
  /** One per segment: a literal, or a pattern with the names of the parameters it captures. */
  segments: ({ literal: string } | { pattern: RegExp; names: string[] })[];
}

const compiled = new Map<string, CompiledPath>();

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function compile(path: string): CompiledPath {
  let found = compiled.get(path);
  if (!found) {
    found = {
      segments: path
        .split('/')
        .slice(1)
        .map((segment) => {
          const names = [...segment.matchAll(/\{([^{}]+)\}/g)].map((match) => match[1]!);
          if (names.length === 0) return { literal: segment };
          const source = segment
            .split(/\{[^{}]+\}/)
            .map(escapeRegExp)
            .join('([^/]+?)');
          return { pattern: new RegExp(`^${source}$`), names };
        }),
    };
    compiled.set(path, found);
  }
  return found;
}

const decode = (text: string) => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

/**
 * How well a templated path fits a concrete one: undefined when it does not; otherwise the parameters
 * it captures and a rank, one digit per segment, 1 for a literal one, so that `/customers/settings`
 * beats `/customers/{uuid}` for `/customers/settings`.
 */
function fit(path: string, pathname: string): { pathParams: Record<string, string>; rank: string } | undefined {
  const { segments } = compile(path);
  const parts = pathname.split('/').slice(1);
  if (!pathname.startsWith('/') || parts.length !== segments.length) return undefined;
  const pathParams: Record<string, string> = {};
  let rank = '';
  for (const [index, segment] of segments.entries()) {
    const part = parts[index]!;
    if ('literal' in segment) {
      if (decode(part) !== segment.literal) return undefined;
      rank += '1';
      continue;
    }
    const match = segment.pattern.exec(part);
    if (!match) return undefined;
    segment.names.forEach((name, at) => (pathParams[name] = decode(match[at + 1]!)));
    rank += '0';
  }
  return { pathParams, rank };
}

/**
 * The operations of the templated path that fits `pathname` best, with the parameters it captures:
 * concrete paths are matched before templated ones (literal segments win, from left to right), as
 * OpenAPI says; among equal fits, the first path in document order.
 */
function bestPath<T extends Routable>(operations: readonly T[], pathname: string): { operations: T[]; pathParams: Record<string, string> } | undefined {
  let best: { path: string; rank: string; pathParams: Record<string, string> } | undefined;
  for (const operation of operations) {
    if (best?.path === operation.path) continue;
    const found = fit(operation.path, pathname);
    if (found && (!best || found.rank > best.rank)) best = { path: operation.path, ...found };
  }
  return best && { operations: operations.filter((operation) => operation.path === best.path), pathParams: best.pathParams };
}

/**
 * The operation a request is for, with the values of its path parameters (percent-decoded).
 * `pathname` is relative to the server URL (`/customers/abc`, not `/api/customers/abc`), without the
 * query string; `method` is compared without case. The path is chosen first (`/customers/settings`
 * beats `/customers/{uuid}`), then the method: undefined when no path fits, or when the path that fits
 * has no operation with that method (see {@link allowedMethods} for a 405).
 */
export function matchOperation<T extends Routable>(operations: readonly T[], method: string, pathname: string): { operation: T; pathParams: Record<string, string> } | undefined {
  const found = bestPath(operations, pathname);
  const operation = found?.operations.find((candidate) => candidate.method === method.toUpperCase());
  return operation && { operation, pathParams: found!.pathParams };
}

/** The methods of the path that fits `pathname` (empty when none does): for a 405's `Allow` header. */
export function allowedMethods(operations: readonly Routable[], pathname: string): HttpMethod[] {
  return bestPath(operations, pathname)?.operations.map((operation) => operation.method) ?? [];
}
