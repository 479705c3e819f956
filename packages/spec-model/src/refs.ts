// JSON pointers and `$ref`s in a bundled OpenAPI document, where every `$ref` is local (`#/...`).

/** Anything the model cannot read in a document: an operation it cannot describe, a malformed flag. */
export class SpecModelError extends Error {
  override name = 'SpecModelError';
}

/** A `$ref` that cannot be followed: not local, pointing at nothing, or part of a cycle. */
export class RefError extends SpecModelError {
  override name = 'RefError';
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

// `any` in the values: OpenAPI objects come in many shapes, and callers (many of them plain JavaScript)
// read them field by field.
export type AnyObject = { [key: string]: any };

export const isObject = (value: unknown): value is AnyObject => typeof value === 'object' && value !== null && !Array.isArray(value);

const escapeKey = (key: string | number) => String(key).replace(/~/g, '~0').replace(/\//g, '~1');
const unescapeKey = (key: string) => key.replace(/~1/g, '/').replace(/~0/g, '~');

/** The JSON pointer of a path of keys: `pointerOf('paths', '/customers')` is `/paths/~1customers`. */
export function pointerOf(...keys: (string | number)[]): string {
  return keys.map((key) => `/${escapeKey(key)}`).join('');
}

/** The keys of a JSON pointer, unescaped: `keysOf('/paths/~1customers')` is `['paths', '/customers']`. */
export function keysOf(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new SpecModelError(`"${pointer}" is not a JSON pointer: it must be empty or start with "/".`);
  return pointer.slice(1).split('/').map(unescapeKey);
}

/** The value at a JSON pointer (`''` is the whole document), or undefined. */
export function valueAt(document: unknown, pointer: string): any {
  return keysOf(pointer).reduce<unknown>(
    (node, key) => (Array.isArray(node) ? node[Number(key)] : isObject(node) && Object.hasOwn(node, key) ? node[key] : undefined),
    document,
  );
}

/** The pointer a `$ref` names, after checking it is local. */
function targetOf(ref: string): string {
  if (!ref.startsWith('#')) throw new RefError(`Only local $refs can be followed, found "${ref}": bundle the document first.`);
  return decodeURIComponent(ref.slice(1));
}

/**
 * Follows `$ref`s from the object at `pointer` to the object they finally name, and answers both it and
 * its pointer (which schema validators that compile by pointer need).
 */
export function followRefs(document: unknown, pointer: string): { pointer: string; node: AnyObject } {
  const seen = new Set<string>();
  for (let current = pointer; ; ) {
    const node = valueAt(document, current);
    if (!isObject(node)) {
      throw new RefError(seen.size ? `$ref "#${current}" points at nothing.` : `The document has no object at "${current || '/'}".`);
    }
    if (typeof node.$ref !== 'string') return { pointer: current, node };
    if (seen.has(current)) throw new RefError(`$ref cycle through "#${current}".`);
    seen.add(current);
    current = targetOf(node.$ref);
  }
}

/** `node` itself, or the object its `$ref` chain names. */
export function resolveRef<T = any>(document: unknown, node: unknown): T {
  return (isObject(node) && typeof node.$ref === 'string' ? followRefs(document, targetOf(node.$ref)).node : node) as T;
}
