// How `pnpm mock` ends: a port in use says so in one line (none of Prism's usage text), and Ctrl-C (a
// SIGINT to the terminal's whole foreground process group: pnpm, its shells, the CLI) exits 0 without
// pnpm's "ELIFECYCLE Command failed".

import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli, handles, startJob, waitFor, watchSignals } from './cli-job.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));

// `pnpm mock` first runs `turbo run build --filter=@reportei-connect/mock...`, which must find the
// outputs in place and write nothing: a rebuild empties the dist/ of spec-model and openapi, and even a
// replay from the cache rewrites them, while the other packages' tests, which the outer `turbo run test`
// runs beside this one, and the other file's Prism read them (Prism reloads a rewritten document,
// refusing requests meanwhile). Each of these variables makes turbo skip its local cache (a busy-machine
// check runs `TURBO_FORCE=true pnpm test`), and the processes under the outer turbo inherit them.
// TURBO_CACHE_DIR stays: it names the cache the outer run has just filled, and turbo replays outputs
// written from another cache dir. So run this package's tests alone with the cache dir of the last build.
const SKIP_CACHE = ['TURBO_FORCE', 'TURBO_REMOTE_ONLY', 'TURBO_CACHE'];

describe('connect-mock on a port in use', () => {
  it('prints only its own message, and exits 1', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const { port } = blocker.address() as { port: number };
    try {
      const job = startJob(process.execPath, [cli, '--port', String(port)], { cwd: root });
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
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !SKIP_CACHE.includes(name)));
    env.NODE_OPTIONS = [process.env.NODE_OPTIONS, watchSignals].filter(Boolean).join(' ');
    const job = startJob('pnpm', ['mock', '--port', '0'], { cwd: root, env });
    try {
      await waitFor(job, 'Press Ctrl-C to stop.');
      await waitFor(job, handles('SIGINT'));
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
