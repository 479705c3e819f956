// Collects every piece of TypeScript the docs site shows (the generated x-codeSamples and the
// ```ts blocks of the guides) and type-checks it against the real @reportei-connect/client.

import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import ts from 'typescript';
import { operationsOf } from './built-site.js';

export interface Snippet {
  /** Where the snippet is shown, such as `x-codeSamples of updateCustomer`; also names its file. */
  name: string;
  source: string;
}

const TYPESCRIPT_FENCE = /```(?:ts|typescript)\n([\s\S]*?)```/g;

/** The TypeScript x-codeSamples of every operation, and the TypeScript blocks of every description. */
export function typeScriptSnippets(document: Record<string, any>): Snippet[] {
  const snippets: Snippet[] = [];
  for (const { operationId, operation } of operationsOf(document)) {
    for (const sample of operation['x-codeSamples'] ?? []) {
      if (sample.lang === 'typescript') snippets.push({ name: `x-codeSamples of ${operationId}`, source: sample.source });
    }
  }
  const descriptions: [string, string | undefined][] = [
    ['info.description', document.info?.description],
    ...(document.tags ?? []).map((tag: any): [string, string | undefined] => [`the "${tag.name}" tag`, tag.description]),
  ];
  for (const [where, markdown] of descriptions) {
    let index = 0;
    for (const match of (markdown ?? '').matchAll(TYPESCRIPT_FENCE)) {
      index += 1;
      snippets.push({ name: `TypeScript block ${index} of ${where}`, source: match[1] ?? '' });
    }
  }
  return snippets;
}

/**
 * Writes each snippet as an ES module under `dir` and type-checks them all with the strict settings
 * of the repository. Returns one readable message per compile error, naming the snippet.
 */
export async function typeCheckSnippets(snippets: Snippet[], dir: string): Promise<string[]> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  // "type": "module" makes the .ts files ES modules, where top-level await is allowed.
  await writeFile(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  const fileToSnippet = new Map<string, Snippet>();
  for (const [index, snippet] of snippets.entries()) {
    const file = path.join(dir, `${String(index).padStart(2, '0')}-${snippet.name.replace(/[^A-Za-z0-9]+/g, '-')}.ts`);
    await writeFile(file, snippet.source);
    fileToSnippet.set(path.resolve(file), snippet);
  }

  const program = ts.createProgram([...fileToSnippet.keys()], {
    strict: true,
    noUncheckedIndexedAccess: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: ['node'],
    skipLibCheck: true,
    noEmit: true,
  });
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    if (diagnostic.file === undefined) return message;
    const snippet = fileToSnippet.get(path.resolve(diagnostic.file.fileName));
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
    return `${snippet?.name ?? diagnostic.file.fileName}, line ${line + 1}: ${message}`;
  });
}
