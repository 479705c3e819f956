// How `pnpm mock` ends: a port in use says so in one line (none of Prism's usage text), and Ctrl-C (a
// SIGINT to the terminal's whole foreground process group: pnpm, its shells, the CLI) exits 0 without
// pnpm's "ELIFECYCLE Command failed".

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const root = fileURLToPath(new URL('../../..', import.meta.url));

/** Runs a command in its own process group, as a terminal runs a foreground job. */
function startJob(command: string, args: string[], cwd: string) {
  const child = spawn(command, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exit = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return { child, exit, output: () => output };
}

/** Waits until `text` has been printed, or the job ended. */
async function waitFor(job: ReturnType<typeof startJob>, text: string): Promise<void> {
  while (!job.output().includes(text)) {
    if (job.child.exitCode !== null || job.child.signalCode !== null) throw new Error(`ended before printing "${text}":\n${job.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('connect-mock on a port in use', () => {
  it('prints only its own message, and exits 1', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const { port } = blocker.address() as { port: number };
    try {
      const job = startJob(process.execPath, [cli, '--port', String(port)], root);
      const [code] = await job.exit;
      expect(code).toBe(1);
      expect(job.output().trim()).toBe(`connect-mock: Port ${port} on 127.0.0.1 is already in use: stop what listens there, or choose another port.`);
    } finally {
      blocker.close();
    }
  });
});

describe('pnpm mock', () => {
  it('exits 0 on Ctrl-C, without "ELIFECYCLE Command failed"', async () => {
    const job = startJob('pnpm', ['mock', '--port', '0'], root);
    try {
      await waitFor(job, 'Press Ctrl-C to stop.');
    } catch (error) {
      process.kill(-(job.child.pid as number), 'SIGKILL');
      throw error;
    }
    process.kill(-(job.child.pid as number), 'SIGINT');
    const [code, signal] = await job.exit;
    expect(job.output()).not.toMatch(/ELIFECYCLE|Command failed|ERR_PNPM/);
    expect({ code, signal }).toEqual({ code: 0, signal: null });
  });
});
