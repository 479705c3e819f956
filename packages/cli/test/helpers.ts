// What the CLI's tests share: the built `connect` run as a child process, a sandbox served over HTTP
// in this process, and the spec's response schemas to hold every --json output to.
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { createSandbox, type RunningSandbox, type Sandbox } from '@reportei-connect/sandbox';
import { createValidator, formatErrors, listOperations, loadDocument } from '@reportei-connect/spec-model';
import { expect } from 'vitest';

export const BIN = fileURLToPath(new URL('../bin/connect.js', import.meta.url));

const document = loadDocument(createRequire(import.meta.url).resolve('@reportei-connect/openapi/openapi.json'));
const validator = createValidator(document);
const operations = new Map(listOperations(document).map((operation) => [operation.id, operation]));

/** The problems of `value` as the success answer of `operationId`, per the spec; empty when it conforms. */
export function responseProblems(operationId: string, value: unknown): string[] {
  const success = operations.get(operationId)?.responses.find((response) => /^2\d\d$/.test(response.status) && response.schemaPointer);
  if (!success?.schemaPointer) throw new Error(`${operationId}: the spec gives it no JSON success response.`);
  return formatErrors(validator.validate(success.schemaPointer, value));
}

/** The problems of each item of `operationId`'s page, as `--all` prints them. */
export function itemProblems(operationId: string, items: unknown[]): string[] {
  const success = operations.get(operationId)?.responses.find((response) => /^2\d\d$/.test(response.status));
  return items.flatMap((item) => formatErrors(validator.validate(`${success?.schemaPointer}/properties/data/items`, item)));
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The sandbox of a test file, over HTTP on a free loopback port, with its tokens. */
export interface TestSandbox {
  sandbox: Sandbox;
  server: RunningSandbox;
  /** REPORTEI_CONNECT_* for the sandbox's merchant and demo customer. */
  env: Record<string, string>;
  /** Every token the tests hand the CLI: none may appear in its output. */
  tokens: string[];
  close(): Promise<void>;
}

export async function startSandbox(): Promise<TestSandbox> {
  // Webhooks delivered at once, so the listener's test waits for its output, not for a timer.
  const sandbox = createSandbox({ seed: 'cli-tests', webhooks: { delayMs: 0 } });
  const server = await sandbox.listen({ port: 0 });
  return {
    sandbox,
    server,
    env: { ...server.env },
    tokens: [sandbox.merchantToken, sandbox.customerToken],
    close: async () => {
      await server.close();
      await sandbox.close();
    },
  };
}

/** The environment of a run: only PATH and what the test gives, so a developer's REPORTEI_CONNECT_* never leak in. */
const cleanEnv = (env: Record<string, string>) => ({ PATH: process.env.PATH ?? '', ...env });

/** Starts `connect args...`, standard input closed unless `input` is given. */
export function start(args: readonly string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { env: cleanEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Runs `connect args...` to its end. */
export function connect(args: readonly string[], env: Record<string, string>, input = ''): Promise<Run> {
  const child = start(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin?.end(input);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Resolves with what `stream` has printed once it matches `pattern`; rejects if the process ends first. */
export function waitForOutput(child: ChildProcess, stream: 'stdout' | 'stderr', pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (pattern.test(text)) {
        child[stream]?.off('data', onData);
        child.off('exit', onExit);
        resolve(text);
      }
    };
    const onExit = (code: number | null) => reject(new Error(`connect exited (${code}) before printing ${pattern} on ${stream}; it printed: ${text}`));
    child[stream]?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** Resolves with the exit status once the process ends. */
export const exitOf = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));

/** Neither stream of the run shows a token, and neither shows a stack trace. */
export function expectClean(run: Pick<Run, 'stdout' | 'stderr'>, tokens: readonly string[]): void {
  for (const token of tokens) {
    expect(run.stdout).not.toContain(token);
    expect(run.stderr).not.toContain(token);
  }
  expect(run.stderr).not.toMatch(/^\s+at /m);
}

/** The JSON a run printed, after checking it exited 0 cleanly. */
export function json(run: Run, tokens: readonly string[]): any {
  expect(run.stderr, run.stderr).toBe('');
  expect(run.code).toBe(0);
  expectClean(run, tokens);
  return JSON.parse(run.stdout);
}
