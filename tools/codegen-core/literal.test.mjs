import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { literal, propertyKey, quote } from './literal.mjs';

// By require: imported as ESM, TypeScript's 9 MB of CommonJS is first scanned for exports (0.5 CPU-s).
/** @type {typeof import('typescript')} */
const ts = createRequire(import.meta.url)('typescript');

/** What a TypeScript expression evaluates to, after TypeScript itself has parsed and compiled it. */
function evaluate(/** @type {string} */ expression) {
  const { outputText, diagnostics } = ts.transpileModule(`export default (${expression});`, {
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  expect(diagnostics ?? [], expression).toEqual([]);
  const module = { exports: /** @type {{ default?: unknown }} */ ({}) };
  new Function('module', 'exports', outputText)(module, module.exports);
  return module.exports.default;
}

const awkward = [
  "it's",
  'say "hi"',
  `both ' and "`,
  '/customers/{uuid}/it\'s',
  'back\\slash \\\' and \\"',
  'line\nbreak\r\ttab',
  '${not a template}',
  '*/ closes a comment',
  '\u2028 and \u2029',
  '\u0000\u001f\u007f',
  'emoji 🎉 and ção',
  '',
];

describe('quote', () => {
  it.each(awkward)('writes %j as a single-quoted literal TypeScript reads back as itself', (text) => {
    const written = quote(text);
    expect(written.startsWith("'") && written.endsWith("'")).toBe(true);
    expect(written).not.toMatch(/[\n\r\u2028\u2029]/);
    expect(evaluate(written)).toBe(text);
  });

  it('keeps double quotes as they are and escapes single ones', () => {
    expect(quote(`"a" 'b'`)).toBe(`'"a" \\'b\\''`);
  });
});

describe('literal', () => {
  const value = { id: 'a', "it's": ['x', "y'", 'z"'], 'reference:key': { n: 1.5, ok: true, none: null }, list: [{ a: 1 }], empty: {}, none: [] };

  it('writes a JSON value on one line, identifier keys bare', () => {
    expect(literal(value)).toBe(
      `{ id: 'a', 'it\\'s': ['x', 'y\\'', 'z"'], 'reference:key': { n: 1.5, ok: true, none: null }, list: [{ a: 1 }], empty: {}, none: [] }`,
    );
    expect(evaluate(literal(value))).toEqual(value);
  });

  it('writes it one property or item per line with an indent, arrays of scalars on one line', () => {
    expect(literal({ a: ['x', 1], b: [{ c: "'" }] }, '')).toBe(`{\n  a: ['x', 1],\n  b: [\n    {\n      c: '\\'',\n    },\n  ],\n}`);
    expect(evaluate(literal(value, '    '))).toEqual(value);
  });

  it('refuses what JSON cannot hold', () => {
    expect(() => literal(Number.NaN)).toThrow(TypeError);
    expect(() => literal({ f: () => 1 })).toThrow(TypeError);
  });

  it('quotes keys that are not identifiers', () => {
    expect([propertyKey('ok_1'), propertyKey('1st'), propertyKey('ig:reach'), propertyKey("o'k")]).toEqual(['ok_1', "'1st'", "'ig:reach'", "'o\\'k'"]);
  });
});
