/**
 * What a generator cannot do with the spec it was given, said so that whoever edits the spec knows what
 * to change. The command line prints its message (no stack) and exits 1, as it does for the
 * `SpecModelError`s of @reportei-connect/spec-model.
 */
export class CodegenError extends Error {
  /** @override */
  name = 'CodegenError';
}
