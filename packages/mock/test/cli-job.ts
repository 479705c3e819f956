// connect-mock (or `pnpm mock`) as a job in a child process, for the tests that read what it prints and
// signal it.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built bin, as `pnpm mock` runs it (turbo builds before it tests). */
export const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

// connect-mock prints "Press Ctrl-C to stop." and only then installs its signal handlers, so a signal
// sent as soon as that line is read can, on a loaded machine, arrive first and kill it (exit code null
// instead of 0). This preload prints a line once the CLI listens for a signal: `setImmediate` runs after
// the CLI's synchronous code, so every handler is in place by then. It acts in the CLI's process only
// (found by its real path, however the checkout's path is spelt), so it can also travel in NODE_OPTIONS
// through pnpm, its shells and turbo.
const HANDLES = 'connect-mock test: handles ';
const preload = `import { realpathSync } from 'node:fs';
if (process.argv[1] && realpathSync(process.argv[1]) === ${JSON.stringify(realpathSync(cli))}) process.on('newListener', (event) => {
  if (String(event).startsWith('SIG')) setImmediate(() => process.stdout.write(${JSON.stringify(HANDLES)} + String(event) + '\\n'));
});`;
/** A node option (for its command line or NODE_OPTIONS) that makes the CLI say when it handles each signal. */
export const watchSignals = `--import=data:text/javascript,${encodeURIComponent(preload)}`;
/** What the CLI prints, given `watchSignals`, once a signal no longer kills it. */
export const handles = (signal: NodeJS.Signals) => `${HANDLES}${signal}\n`;

/** Runs a command in its own process group, as a terminal runs a foreground job. */
export function startJob(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const child = spawn(command, args, { cwd: options.cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...(options.env ?? process.env), FORCE_COLOR: '0' } });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exit = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return { child, exit, output: () => output };
}

export type Job = ReturnType<typeof startJob>;

/** Waits until `text` has been printed; throws if the job ends first. */
export async function waitFor(job: Job, text: string): Promise<void> {
  while (!job.output().includes(text)) {
    if (job.child.exitCode !== null || job.child.signalCode !== null) throw new Error(`ended before printing "${text}":\n${job.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
