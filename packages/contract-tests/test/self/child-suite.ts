import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { environmentVariables } from '../../src/target.js';

const require = createRequire(import.meta.url);
const packageRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface AssertionResult {
  title: string;
  fullName: string;
  status: 'passed' | 'failed' | 'skipped' | 'pending' | 'todo';
  failureMessages: string[];
}

/**
 * Runs one test file of the contract project of this package in a child vitest, as `pnpm test:contract`
 * would, with `env` instead of the CONNECT_* variables of this process; answers its exit code and the
 * result of each test.
 */
export async function runContractFile(file: string, env: Record<string, string>): Promise<{ exitCode: number | null; results: AssertionResult[] }> {
  const directory = mkdtempSync(join(tmpdir(), 'contract-self-test-'));
  try {
    const report = join(directory, 'report.json');
    const vitest = join(require.resolve('vitest/package.json'), '..', 'vitest.mjs');
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !(environmentVariables as readonly string[]).includes(name) && !name.startsWith('VITEST')));
    const child = spawn(process.execPath, [vitest, 'run', '--project', 'contract', file, '--reporter=json', `--outputFile=${report}`], {
      cwd: packageRoot,
      env: { ...inherited, ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const [exitCode] = (await once(child, 'exit')) as [number | null];
    const parsed = JSON.parse(readFileSync(report, 'utf8')) as { testResults: { assertionResults: AssertionResult[] }[] };
    return { exitCode, results: parsed.testResults.flatMap((result) => result.assertionResults) };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** A child run's outcome, filled in before the tests of the describe that asked for it. */
export interface ChildRun {
  exitCode: number | null;
  results: AssertionResult[];
}

// The setup starts servers, then runs a whole test file in a child vitest: seconds on an idle machine,
// minutes when other suites hold both cores. The limits only turn a hang into a failure.
const SUITE_TIMEOUT = 600_000;

/**
 * In a describe: before its tests, `start` starts what the child run tests (adding how to stop each to
 * `stops`) and answers the CONNECT_* environment that points at it; `file` then runs against it in a
 * child vitest ({@link runContractFile}). After the tests, what was started is stopped, last first.
 */
export function childRun(file: string, start: (stops: (() => Promise<void>)[]) => Promise<Record<string, string>>): ChildRun {
  const run: ChildRun = { exitCode: null, results: [] };
  const stops: (() => Promise<void>)[] = [];
  beforeAll(async () => void Object.assign(run, await runContractFile(file, await start(stops))), SUITE_TIMEOUT);
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
  }, 60_000);
  return run;
}
