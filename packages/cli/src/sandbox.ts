// `connect sandbox [flags]`: the sandbox's own command line, `connect-sandbox` of
// @reportei-connect/sandbox, run with the same flags, so that both take and document exactly the same.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';

/** Runs `connect-sandbox` with `args` in this terminal, until it exits; resolves with its exit status. */
export function runSandbox(args: readonly string[]): Promise<number> {
  const manifestPath = createRequire(import.meta.url).resolve('@reportei-connect/sandbox/package.json');
  const { bin } = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: Record<string, string> };
  const child = spawn(process.execPath, [join(dirname(manifestPath), bin['connect-sandbox'] as string), ...args], { stdio: 'inherit' });
  // Ctrl-C reaches both processes from the terminal; a signal sent to this one alone is passed on.
  // Either way the sandbox stops itself (writing its state file) and this process exits with it.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const relay = (signal: NodeJS.Signals) => child.kill(signal);
  for (const signal of signals) process.on(signal, relay);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      for (const each of signals) process.off(each, relay);
      // Killed by a signal: the shell's convention, 128 + its number.
      resolve(code ?? 128 + constants.signals[signal as NodeJS.Signals]);
    });
  });
}
