// JSON pointers and `$ref`s in a bundled OpenAPI document, where every `$ref` is local (`#/...`).
// Superseded by @reportei-connect/spec-model (pointerOf, valueAt, followRefs, resolveRef, RefError), the
// one reader of the document. Kept, and exported as `@reportei-connect/openapi/refs`, only until its last
// importers move to spec-model (grep for `@reportei-connect/openapi/refs`); then this file, refs.d.ts,
// test/refs.test.ts and the `./refs` export go.

/** A `$ref` that cannot be followed: not local, pointing at nothing, or part of a cycle. */
export class RefError extends Error {
  name = 'RefError';
}

const escapeKey = (key) => String(key).replace(/~/g, '~0').replace(/\//g, '~1');
const unescapeKey = (key) => key.replace(/~1/g, '/').replace(/~0/g, '~');
const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The JSON pointer of a path of keys: `pointerOf('paths', '/customers')` is `/paths/~1customers`. */
export function pointerOf(...keys) {
  return keys.map((key) => `/${escapeKey(key)}`).join('');
}

/** The value at a JSON pointer (`''` is the whole document), or undefined. */
export function valueAt(document, pointer) {
  if (pointer === '') return document;
  return pointer
    .slice(1)
    .split('/')
    .map(unescapeKey)
    .reduce((node, key) => (Array.isArray(node) ? node[Number(key)] : isObject(node) ? node[key] : undefined), document);
}

/** The pointer a `$ref` names, after checking it is local. */
function targetOf(ref) {
  if (!ref.startsWith('#')) throw new RefError(`Only local $refs can be followed, found "${ref}": bundle the document first.`);
  return decodeURIComponent(ref.slice(1));
}

/**
 * Follows `$ref`s from the object at `pointer` to the object they finally name, and answers both it and
 * its pointer (which schema validators that compile by pointer need).
 */
export function followRefs(document, pointer) {
  const seen = new Set();
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
export function resolveRef(document, node) {
  return isObject(node) && typeof node.$ref === 'string' ? followRefs(document, targetOf(node.$ref)).node : node;
}
