import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { specAt, toolRepo } from './git-spec.mjs';

const cli = join(toolRepo, 'tools', 'spec-diff', 'cli.mjs');

/** Runs `pnpm spec:diff` as the root script does, without blocking the other cases. */
async function specDiff(/** @type {string[]} */ args) {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (/** @type {string} */ chunk) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (/** @type {string} */ chunk) => (stderr += chunk));
  const [status] = /** @type {[number | null]} */ (await once(child, 'close'));
  return { status, stdout, stderr };
}

// Each case, and the setup, runs git and Redocly in child processes: seconds on an idle machine, far
// more when other suites hold both cores, hence timeouts that only turn a hang into a failure. The cases
// run at once, each in its own process: only the one about the working tree reads (and edits) the
// scratch repository's files, the others read its commits.
const PATIENCE = 180_000;
describe('pnpm spec:diff <git-ref>', { timeout: PATIENCE, concurrent: true }, () => {
  /** A scratch repository whose history is: no spec, the spec, the spec without Customer.merchant. */
  let repo = '';
  let head = '';

  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'spec-diff-repo-'));
    const git = (/** @type {string[]} */ ...args) => execFileSync('git', ['-C', repo, '-c', 'user.name=spec-diff test', '-c', 'user.email=spec-diff@example.invalid', ...args], { stdio: 'pipe' });
    git('init', '-q');
    writeFileSync(join(repo, 'README.md'), 'before the spec\n');
    git('add', '.');
    git('commit', '-q', '-m', 'no spec yet');
    cpSync(join(toolRepo, 'spec'), join(repo, 'spec'), {
      recursive: true,
      filter: (source) => !/[/\\](node_modules|dist|payloads|test)$/.test(source),
    });
    git('add', '.');
    git('commit', '-q', '-m', 'the spec');
    const customer = join(repo, 'spec', 'components', 'schemas', 'Customer.yaml');
    const text = readFileSync(customer, 'utf8');
    const withoutMerchant = text.replace(/\n {2}merchant:\n(?: {4}.*\n)+/, '\n');
    expect(withoutMerchant).not.toBe(text);
    writeFileSync(customer, withoutMerchant);
    git('commit', '-q', '-am', 'drop Customer.merchant');

    head = join(repo, 'head.json');
    writeFileSync(head, JSON.stringify(specAt(repo, 'HEAD')));
  }, PATIENCE);
  afterAll(() => rmSync(repo, { recursive: true, force: true }), PATIENCE);

  it('reports a removed response field as breaking, and exits 1', async ({ expect }) => {
    const { status, stdout } = await specDiff(['HEAD~1', '--repo', repo, '--head', head]);
    expect(stdout).toContain('Breaking changes against HEAD~1');
    expect(stdout).toContain('GET /customers/{uuid} (getCustomer): response 200 body /customer/merchant: response field removed [removed-field]');
    expect(status).toBe(1);
  });

  it('reports nothing, and exits 0, against the same spec', async ({ expect }) => {
    const { status, stdout } = await specDiff(['HEAD', '--repo', repo, '--head', head]);
    expect(stdout.trim()).toBe('No changes to the API against HEAD.');
    expect(status).toBe(0);
  });

  it('has nothing to compare against a commit from before the spec', async ({ expect }) => {
    const { status, stdout } = await specDiff(['HEAD~2', '--repo', repo, '--head', head]);
    expect(stdout.trim()).toBe('spec/openapi.yaml did not exist at HEAD~2: nothing to compare.');
    expect(status).toBe(0);
  });

  it('bundles the working tree itself when not given --head, uncommitted edits included', async ({ expect }) => {
    const customer = join(repo, 'spec', 'components', 'schemas', 'Customer.yaml');
    const committed = readFileSync(customer, 'utf8');
    try {
      writeFileSync(customer, committed.replace('required:\n  - uuid\n  - name\n', 'required:\n  - uuid\n'));
      const { status, stdout } = await specDiff(['HEAD', '--repo', repo]);
      expect(stdout).toContain('GET /customers/{uuid} (getCustomer): response 200 body /customer/name: required -> optional [field-now-optional]');
      expect(status).toBe(1);
    } finally {
      writeFileSync(customer, committed);
    }
  });

  it('says what to do with an unknown ref, and exits 2', async ({ expect }) => {
    const { status, stderr } = await specDiff(['no-such-ref', '--repo', repo, '--head', head]);
    expect(stderr).toContain('"no-such-ref" is not a commit of');
    expect(stderr).toContain('Usage: pnpm spec:diff <git-ref>');
    expect(status).toBe(2);
  });
});
