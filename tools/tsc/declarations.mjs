// The CommonJS twins of emitted declarations (see cts-declarations.mjs).
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** `from './x.js'`, `import('../y.js')`, `export * from './z.js'`: relative specifiers only. */
const RELATIVE_JS_SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*)(['"])(\.{1,2}\/[^'"]*?)\.js\2/g;

/**
 * The text of a `.d.cts` twin of a `.d.ts` file.
 * @param {string} declarations
 */
export function toCommonJsDeclarations(declarations) {
  return declarations.replace(RELATIVE_JS_SPECIFIER, (_, keyword, quote, path) => `${keyword}${quote}${path}.cjs${quote}`);
}

/**
 * Writes the twins of every `.d.ts` under `dir`; returns how many.
 * @param {string} dir
 */
export async function writeCommonJsTwins(dir) {
  const files = (await readdir(dir, { recursive: true })).filter((file) => file.endsWith('.d.ts'));
  await Promise.all(
    files.map(async (file) => {
      const source = join(dir, file);
      await writeFile(source.replace(/\.d\.ts$/, '.d.cts'), toCommonJsDeclarations(await readFile(source, 'utf8')));
    }),
  );
  return files.length;
}
