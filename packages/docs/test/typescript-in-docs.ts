// Collects every piece of TypeScript the docs site shows (the generated x-codeSamples and the
// ```ts blocks of the guides) and type-checks it against the real @reportei-connect/client.

import { spawnSync } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
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

/** `connect-tsc`, the workspace's TypeScript 7 compiler (native, so much quicker here than TypeScript 5's API). */
const connectTsc = path.join(path.dirname(createRequire(import.meta.url).resolve('@reportei-connect/tsc/package.json')), 'tsc.mjs');

/** One problem as `tsc --pretty false` prints it: `file(line,column): error TSnnnn: message`, the message's later lines indented. */
const DIAGNOSTIC = /^(.+?)\((\d+),\d+\): error TS\d+: ([\s\S]*)$/;

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
    const file = `${String(index).padStart(2, '0')}-${snippet.name.replace(/[^A-Za-z0-9]+/g, '-')}.ts`;
    await writeFile(path.join(dir, file), snippet.source);
    fileToSnippet.set(file, snippet);
  }
  const compilerOptions = {
    strict: true,
    noUncheckedIndexedAccess: true,
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    lib: ['ES2022', 'DOM'],
    types: ['node'],
    skipLibCheck: true,
    noEmit: true,
  };
  await writeFile(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: [...fileToSnippet.keys()] }));

  const { stdout, status, error } = spawnSync(process.execPath, [connectTsc, '-p', '.', '--pretty', 'false'], { cwd: dir, encoding: 'utf8' });
  if (error) throw error;
  // Each problem starts a line at column 0; the lines of a long message that follow are indented.
  const problems = stdout.split(/\n(?=\S)/).map((text) => text.trimEnd()).filter(Boolean);
  if (status !== 0 && problems.length === 0) throw new Error(`connect-tsc failed (exit ${status}) and printed no problem`);
  return problems.map((problem) => {
    const match = DIAGNOSTIC.exec(problem);
    if (!match) return problem;
    const [, file, line, message] = match;
    return `${fileToSnippet.get(file!)?.name ?? file}, line ${line}: ${message!.replace(/\n\s+/g, '\n')}`;
  });
}
