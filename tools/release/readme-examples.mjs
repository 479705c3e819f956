// @ts-check
// The TypeScript examples of a README: every fenced block whose info string starts with `ts` or `tsx`
// (```ts, ```typescript, ```tsx), taken as written.

import { builtinModules } from 'node:module';

/**
 * @typedef {object} ReadmeExample
 * @property {string} readme   where it comes from, as given (such as `packages/client/README.md`)
 * @property {number} index    its position among the README's TypeScript blocks, from 1
 * @property {number} line     the line of the README its first line of code is on, from 1
 * @property {'ts' | 'tsx'} lang
 * @property {string} code     the block's text, ending with a newline
 */

const TYPESCRIPT = new Map([
  ['ts', 'ts'],
  ['typescript', 'ts'],
  ['mts', 'ts'],
  ['tsx', 'tsx'],
]);

/**
 * @param {string} markdown
 * @param {string} readme
 * @returns {ReadmeExample[]}
 */
export function extractExamples(markdown, readme) {
  /** @type {ReadmeExample[]} */
  const examples = [];
  const lines = markdown.split(/\r?\n/);
  /** @type {{ fence: string, lang: 'ts' | 'tsx' | undefined, start: number, body: string[] } | undefined} */
  let open;
  for (let i = 0; i < lines.length; i++) {
    const line = /** @type {string} */ (lines[i]);
    if (open === undefined) {
      const start = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)/.exec(line);
      if (start) {
        const lang = TYPESCRIPT.get((start[2] ?? '').toLowerCase());
        open = { fence: /** @type {string} */ (start[1]), lang: /** @type {'ts' | 'tsx' | undefined} */ (lang), start: i + 2, body: [] };
      }
      continue;
    }
    const close = new RegExp(`^ {0,3}${open.fence[0] === '`' ? '`' : '~'}{${open.fence.length},}\\s*$`);
    if (close.test(line)) {
      if (open.lang) {
        examples.push({ readme, index: examples.length + 1, line: open.start, lang: open.lang, code: `${open.body.join('\n')}\n` });
      }
      open = undefined;
      continue;
    }
    open.body.push(line);
  }
  if (open !== undefined) throw new Error(`${readme}: the code block opened on line ${open.start - 1} is never closed`);
  return examples;
}

/**
 * The bare module specifiers a block imports (`import ... from 'x'`, `import 'x'`, `import('x')`),
 * reduced to package names: `react-dom/client` is `react-dom`, `@scope/a/b` is `@scope/a`. Node's
 * built-in modules are left out.
 *
 * @param {string} code
 * @returns {string[]}
 */
export function importedPackages(code) {
  const names = new Set();
  const pattern = /(?:\bfrom\s*|\bimport\s*\(?\s*)(['"])([^'"\n]+)\1/g;
  for (const match of code.matchAll(pattern)) {
    const specifier = /** @type {string} */ (match[2]);
    if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:') || builtinModules.includes(specifier)) continue;
    const parts = specifier.split('/');
    names.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]);
  }
  return [...names].sort();
}
