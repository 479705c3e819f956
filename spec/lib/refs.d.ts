type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** A `$ref` that cannot be followed: not local, pointing at nothing, or part of a cycle. */
export declare class RefError extends Error {
  name: 'RefError';
}
/** The JSON pointer of a path of keys: `pointerOf('paths', '/customers')` is `/paths/~1customers`. */
export declare function pointerOf(...keys: (string | number)[]): string;
/** The value at a JSON pointer (`''` is the whole document), or undefined. */
export declare function valueAt(document: unknown, pointer: string): Json | undefined;
/** Follows `$ref`s from the object at `pointer` to the object they finally name, with its pointer. */
export declare function followRefs(document: unknown, pointer: string): { pointer: string; node: JsonObject };
/** `node` itself, or the object its `$ref` chain names. */
// `any` by default: callers, many of them plain JavaScript, read OpenAPI objects of many shapes.
export declare function resolveRef<T = any>(document: unknown, node: unknown): T;
