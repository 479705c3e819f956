// @ts-check
// The sandbox `pnpm dev` keeps running: @reportei-connect/sandbox's own bin in a child process, started
// again after each rebuild so that it reads the new document, with the same --state file (its data
// survives the restart).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const sandboxDir = dirname(require.resolve('@reportei-connect/sandbox/package.json'));
const sandboxBin = join(sandboxDir, /** @type {{ bin: Record<string, string> }} */ (require('@reportei-connect/sandbox/package.json')).bin['connect-sandbox'] ?? '');

/** The four lines the sandbox prints once it listens. */
const READY_LINES = 4;

/**
 * @param {object} options
 * @param {number} options.port
 * @param {string} options.state the --state file
 * @param {(message: string) => void} options.onExit told when a sandbox that was listening ends by itself
 * @returns {{ start: () => Promise<string[]>, restart: () => Promise<string[]>, stop: () => Promise<void> }}
 *   `start` and `restart` resolve with the REPORTEI_CONNECT_* lines once the sandbox listens, and
 *   reject with what it printed if it ends first (a port in use, a document it cannot serve)
 */
export function sandboxProcess({ port, state, onExit }) {
  /** @type {import('node:child_process').ChildProcess | undefined} */
  let child;

  async function start() {
    // Its own process group, so that Ctrl-C reaches pnpm dev alone, which stops the sandbox itself.
    const process_ = spawn(process.execPath, [sandboxBin, '--port', String(port), '--state', state, '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    child = process_;
    let stdout = '';
    let stderr = '';
    process_.stdout.setEncoding('utf8');
    process_.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    const exited = once(process_, 'exit');
    let listening = false;
    return new Promise((resolve, reject) => {
      process_.stdout.on('data', (chunk) => {
        stdout += chunk;
        const lines = stdout.split('\n').filter((line) => line.startsWith('REPORTEI_CONNECT_'));
        if (!listening && lines.length >= READY_LINES) {
          listening = true;
          resolve(lines);
        }
      });
      void exited.then(([code, signal]) => {
        const stoppedByUs = child !== process_;
        if (child === process_) child = undefined;
        const said = stderr.split('\n').find((line) => line.startsWith('connect-sandbox:')) ?? stderr.trim();
        const message = `the sandbox ended (${signal ?? `exit code ${code}`})${said ? `: ${said}` : ''}`;
        if (!listening) reject(new Error(message));
        else if (!stoppedByUs) onExit(message);
      });
    });
  }

  async function stop() {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = once(running, 'exit');
    running.kill('SIGTERM');
    await exited;
  }

  return {
    start,
    async restart() {
      await stop();
      return start();
    },
    stop,
  };
}
