// The README's session runs as written, and its table of commands is the generated table's.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandGroups } from '../src/generated/commands.js';
import { BIN, expectClean, responseProblems, startSandbox, type TestSandbox } from './helpers.js';

const read = (path: string) => readFileSync(fileURLToPath(new URL(path, import.meta.url)), 'utf8');
const readme = read('../README.md');

let box: TestSandbox;
/** A folder holding `connect`, for PATH, as a global install gives it. */
let binDir: string;

beforeAll(async () => {
  box = await startSandbox();
  binDir = mkdtempSync(join(tmpdir(), 'connect-bin-'));
  symlinkSync(BIN, join(binDir, 'connect'));
});

afterAll(async () => {
  await box?.close();
  if (binDir) rmSync(binDir, { recursive: true, force: true });
});

describe('README', () => {
  it('shows examples/session.sh as it is', () => {
    const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]);
    expect(blocks).toContain(read('../examples/session.sh'));
  });

  it('lists every command of the generated table', () => {
    for (const group of commandGroups) {
      for (const command of group.commands) expect(readme).toContain(`| \`connect ${group.name} ${command.name}`);
    }
  });

  it('runs the session, from creating a customer to reading its metrics', async () => {
    // --sandbox means the sandbox on its default port, 4011, which another sandbox may hold on this
    // machine: the session goes to this test's sandbox instead, with the token --sandbox would send.
    const script = read('../examples/session.sh').replaceAll('--sandbox', `--base-url ${box.server.baseUrl}`);
    const run = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) =>
      // --norc: bash reads ~/.bashrc when its standard input is a socket, as Node's pipes are.
      execFile('bash', ['--norc', '-c', script], { env: { PATH: `${binDir}:${process.env.PATH}`, REPORTEI_CONNECT_TOKEN: box.sandbox.merchantToken } }, (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve({ stdout, stderr }),
      ),
    );
    expectClean(run, [box.sandbox.merchantToken]);
    expect(run.stderr).toMatch(/^Open http:\/\/127\.0\.0\.1:\d+\/customer-integrations\/session\/[0-9a-f-]+ to connect a network by hand\.\n$/);
    const results = JSON.parse(run.stdout);
    expect(responseProblems('getMetricsData', results)).toEqual([]);
    expect(Object.keys(results).sort()).toEqual(['ig:followers_city', 'ig:reach']);
  });
});
