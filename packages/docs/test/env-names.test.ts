// One set of environment variable names in everything a reader copies from: the READMEs, the guides,
// the examples, the code-sample generator and the built docs site (whose cURL and TypeScript samples
// the generator wrote). The contract suite's own CONNECT_* variables are not REPORTEI_* names.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ALLOWED = ['REPORTEI_CONNECT_TOKEN', 'REPORTEI_CONNECT_BASE_URL', 'REPORTEI_CONNECT_CUSTOMER_TOKEN', 'REPORTEI_CONNECT_CUSTOMER_INTEGRATION'];
/** `REPORTEI_CONNECT_*` names the four together, in prose. */
const FAMILY = 'REPORTEI_CONNECT_*';
const NAME = /\bREPORTEI_[A-Z0-9_]*\*?/g;

const root = fileURLToPath(new URL('../../../', import.meta.url));
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.turbo', 'test-output', 'coverage']);
const TEXT = /\.(md|ts|tsx|mts|cts|js|mjs|cjs|json|ya?ml|html|sh|txt)$/;

/** Every text file under `dir` (relative to the repository root), skipping installs and tool caches. */
function filesUnder(dir: string): string[] {
  const absolute = path.join(root, dir);
  let entries;
  try {
    entries = readdirSync(absolute, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) ? [] : filesUnder(relative);
    return entry.isFile() && TEXT.test(entry.name) ? [relative] : [];
  });
}

/** Subdirectories of `dir` with no dot, such as every package. */
const dirsIn = (dir: string) =>
  readdirSync(path.join(root, dir), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && !SKIPPED_DIRS.has(entry.name))
    .map((entry) => path.join(dir, entry.name));

const exists = (file: string) => {
  try {
    return statSync(path.join(root, file)).isFile();
  } catch {
    return false;
  }
};

/** What readers copy from: kept in step with this package's turbo.json test inputs. */
function readerFacingFiles(): string[] {
  const packages = [...dirsIn('packages'), ...dirsIn('tools')];
  return [
    'README.md',
    ...packages.map((dir) => path.join(dir, 'README.md')).filter(exists),
    ...dirsIn('packages').flatMap((dir) => filesUnder(path.join(dir, 'examples'))),
    ...filesUnder('examples'),
    ...readdirSync(path.join(root, 'spec')).filter((name) => name.endsWith('.md')).map((name) => path.join('spec', name)),
    ...filesUnder('spec/guides'),
    'spec/payloads/README.md',
    ...filesUnder('tools/codegen-samples'),
    ...filesUnder('packages/docs/dist'),
  ].filter(exists);
}

/** Each REPORTEI_* name in `text` outside the allowed four, with its line number. */
function strayNames(text: string): string[] {
  return text.split('\n').flatMap((line, index) => [...line.matchAll(NAME)].map(([name]) => name).filter((name) => name !== FAMILY && !ALLOWED.includes(name)).map((name) => `line ${index + 1}: ${name}`));
}

describe('environment variable names', () => {
  const files = readerFacingFiles();

  it('finds the READMEs, guides, examples and the built site to check', () => {
    expect(files).toEqual(expect.arrayContaining(['README.md', 'packages/client/README.md', 'examples/start.ts', 'spec/guides/getting-started.md', 'packages/docs/dist/openapi.json']));
  });

  it(`are only ${ALLOWED.join(', ')} in everything a reader copies from`, () => {
    const stray = files.flatMap((file) => strayNames(readFileSync(path.join(root, file), 'utf8')).map((where) => `${file}, ${where}`));
    expect(stray, `use ${ALLOWED.join(' / ')} instead`).toEqual([]);
  });

  it('are the ones the generated samples read the tokens from', () => {
    const site = readFileSync(path.join(root, 'packages/docs/dist/openapi.json'), 'utf8');
    expect(site).toContain('Bearer $REPORTEI_CONNECT_TOKEN');
    expect(site).toContain('x-customer-token: $REPORTEI_CONNECT_CUSTOMER_TOKEN');
    expect(site).toContain('connect.forCustomer(process.env.REPORTEI_CONNECT_CUSTOMER_TOKEN!)');
    // The client reads REPORTEI_CONNECT_TOKEN itself; the samples name the server and the ids.
    expect(site).toContain("process.env.REPORTEI_CONNECT_BASE_URL ?? 'http://127.0.0.1:4011/api'");
    expect(site).toContain('${REPORTEI_CONNECT_BASE_URL:-http://127.0.0.1:4011/api}');
    expect(site).toContain('process.env.REPORTEI_CONNECT_CUSTOMER_INTEGRATION!');
  });

  it('catches a name outside the four', () => {
    expect(strayNames('a\ncurl -H "Authorization: Bearer $REPORTEI_MERCHANT_TOKEN"\nprocess.env.REPORTEI_CONNECT_TOKEN')).toEqual(['line 2: REPORTEI_MERCHANT_TOKEN']);
    expect(strayNames('process.env.REPORTEI_TOKEN, REPORTEI_CONNECT_TOKENS')).toEqual(['line 1: REPORTEI_TOKEN', 'line 1: REPORTEI_CONNECT_TOKENS']);
    expect(strayNames('the four REPORTEI_CONNECT_* lines, not REPORTEI_*')).toEqual(['line 1: REPORTEI_*']);
  });
});
