// @ts-check
// A real Redis for whatever needs one: the shared rate-limit store's tests, the nightly-job example
// (`pnpm example nightly`, its test, `pnpm release:check`) and the bench's shared-budget section.
// Debian's redis-server (`apt-get install -y redis-server`; `.ci/run` installs it where it is missing),
// started on a free loopback port, in memory only, and stopped by its owner.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** A port free on 127.0.0.1 now (the OS's choice). @returns {Promise<number>} */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/**
 * @typedef {object} RunningRedis
 * @property {string} url `redis://127.0.0.1:<port>`
 * @property {import('node:child_process').ChildProcess} process the redis-server process (tests stop it with SIGSTOP)
 * @property {() => Promise<void>} stop ends it (a stopped one too) and resolves once it has exited
 */

/**
 * Starts redis-server on a free loopback port, with no RDB or AOF file, and resolves once it accepts
 * connections. Rejects, saying how to install it, when there is no redis-server.
 *
 * @param {{ command?: string }} [options] `command`: the program to run (default `redis-server`)
 * @returns {Promise<RunningRedis>}
 */
export async function startRedis({ command = 'redis-server' } = {}) {
  const port = await freePort();
  const child = spawn(command, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  /** @type {Promise<void>} */
  const ready = new Promise((resolve, reject) => {
    const read = (/** @type {Buffer} */ chunk) => {
      output += chunk;
      if (output.includes('Ready to accept connections')) resolve();
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('error', (error) => reject(new Error(`${command} could not start (${error.message}): install it, e.g. apt-get install -y redis-server`)));
    child.once('exit', (code, signal) => reject(new Error(`${command} exited with ${signal ?? code} before accepting connections:\n${output}`)));
  });
  await ready;
  // Its log is not needed once it is up; reading it on keeps the pipes from filling.
  child.stdout.resume();
  child.stderr.resume();
  return {
    url: `redis://127.0.0.1:${port}`,
    process: child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        // A stopped (SIGSTOP) server must be continued to hear SIGTERM.
        child.kill('SIGCONT');
        child.kill('SIGTERM');
      }),
  };
}
