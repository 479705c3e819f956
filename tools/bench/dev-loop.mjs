// `pnpm dev`'s loop: from saving a spec file to the change being visible in the types, on the docs site
// and in the sandbox. Starts `pnpm dev` (tools/dev) on free ports with a throw-away --state, then, round
// after round, adds a query parameter to an operation and times, from the save, when
//   - the types package's declarations (dist) declare it,
//   - the docs site's document (what the open page reloads) lists it,
//   - the sandbox validates it (a value over its maximum answers 422 naming it),
// and then undoes the edit and waits for all three to go back. Polls every 20 ms; nothing is asserted
// on durations: the figures are printed and saved.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ROOT } from './packages.mjs';
import { median, round } from './stats.mjs';

/** The file the dev loop edits, and the parameter it adds to the first operation's parameters. */
export const DEV_EDITED_FILE = join(ROOT, 'spec', 'paths', 'customers.yaml');
const PROBE = 'bench_dev_probe';
const PROBE_PARAMETER = [
  `    - name: ${PROBE}`,
  '      in: query',
  '      required: false',
  '      description: Added for a moment by pnpm bench, to time pnpm dev.',
  '      schema:',
  '        type: integer',
  '        maximum: 1',
].join('\n');
const TYPES_DECLARATIONS = join(ROOT, 'packages', 'types', 'dist', 'generated', 'schema.d.ts');
/** Longest wait for one change to show everywhere before the round is called a failure. */
const PATIENCE_MS = 120_000;

/** The spec file with the probe parameter added under its first `parameters:`. @param {string} text */
export function withProbe(text) {
  const edited = text.replace(/^( {2}parameters:\n)/m, `$1${PROBE_PARAMETER}\n`);
  if (edited === text) throw new Error(`no "  parameters:" line in ${relative(ROOT, DEV_EDITED_FILE)} to add ${PROBE} under`);
  return edited;
}

/** A free loopback port, for a server started right after. */
async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Resolves with the milliseconds since `since` once `check` holds, polling every 20 ms; rejects at once
 * when `gone` says the process that should make it happen has exited.
 * @param {() => Promise<boolean>} check
 * @param {number} since a performance.now() value
 * @param {string} what
 * @param {() => string | undefined} gone
 */
async function when(check, since, what, gone) {
  for (;;) {
    if (await check().catch(() => false)) return performance.now() - since;
    const exit = gone();
    if (exit) throw new Error(`pnpm dev exited (${exit}) before ${what}`);
    if (performance.now() - since > PATIENCE_MS) throw new Error(`pnpm dev: ${what} did not happen within ${PATIENCE_MS / 1000} s of the save`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * @param {{ rounds: number, log: (line: string) => void }} options
 */
export async function benchDevLoop({ rounds, log }) {
  const original = readFileSync(DEV_EDITED_FILE, 'utf8');
  if (original.includes(PROBE)) throw new Error(`${relative(ROOT, DEV_EDITED_FILE)} still holds ${PROBE} from an interrupted run: remove it (git checkout) first`);
  const edited = withProbe(original);
  const stateDir = mkdtempSync(join(tmpdir(), 'bench-dev-'));
  const [docsPort, sandboxPort] = [await freePort(), await freePort()];
  const dev = spawn(process.execPath, [join(ROOT, 'tools', 'dev', 'cli.mjs'), '--docs-port', String(docsPort), '--sandbox-port', String(sandboxPort), '--state', join(stateDir, 'state.json')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Settles once, whenever the process ends: waiting for 'close' after it ended would wait forever.
  const closed = new Promise((resolve) => dev.once('close', resolve));
  const gone = () => (dev.exitCode !== null ? `exit ${dev.exitCode}` : (dev.signalCode ?? undefined));
  let output = '';
  dev.stdout.on('data', (chunk) => (output += chunk));
  dev.stderr.on('data', (chunk) => (output += chunk));
  const restore = () => writeFileSync(DEV_EDITED_FILE, original);
  process.on('exit', restore);
  try {
    const startedAt = performance.now();
    await when(async () => output.includes('Watching'), startedAt, 'starting', gone);
    const token = /REPORTEI_CONNECT_TOKEN=(\S+)/.exec(output)?.[1];
    const checks = {
      types: async () => readFileSync(TYPES_DECLARATIONS, 'utf8').includes(PROBE),
      docs: async () => (await (await fetch(`http://127.0.0.1:${docsPort}/openapi.json`)).text()).includes(PROBE),
      sandbox: async () => {
        const response = await fetch(`http://127.0.0.1:${sandboxPort}/api/customers?${PROBE}=5`, { headers: { authorization: `Bearer ${token}` } });
        return response.status === 422 && (await response.text()).includes(PROBE);
      },
    };
    /** @type {Record<keyof typeof checks, number[]>} */
    const seconds = { types: [], docs: [], sandbox: [] };
    for (let round_ = 1; round_ <= rounds; round_++) {
      log(`dev: round ${round_} of ${rounds}: adding ${PROBE} to ${relative(ROOT, DEV_EDITED_FILE)}`);
      const saved = performance.now();
      writeFileSync(DEV_EDITED_FILE, edited);
      const times = await Promise.all(Object.entries(checks).map(async ([name, check]) => /** @type {const} */ ([name, await when(check, saved, `${name} showing ${PROBE}`, gone)])));
      for (const [name, ms] of times) seconds[/** @type {keyof typeof checks} */ (name)].push(round(ms / 1000, 2));
      const undone = performance.now();
      restore();
      await Promise.all(Object.entries(checks).map(([name, check]) => when(async () => !(await check()), undone, `${name} dropping ${PROBE}`, gone)));
      // The undo's own rebuild line, so that the next round starts from a quiet dev loop.
      await when(async () => output.trimEnd().split('\n').filter((line) => /^\d\d:\d\d:\d\d /.test(line)).length >= 2 * round_, undone, 'the rebuild after the undo', gone);
    }
    return {
      editedFile: relative(ROOT, DEV_EDITED_FILE),
      rounds,
      seconds,
      medianSeconds: Object.fromEntries(Object.entries(seconds).map(([name, runs]) => [name, round(median(runs), 2)])),
      maxSeconds: Object.fromEntries(Object.entries(seconds).map(([name, runs]) => [name, Math.max(...runs)])),
      lines: output.trimEnd().split('\n').filter((line) => /^\d\d:\d\d:\d\d /.test(line)).slice(0, 2),
    };
  } catch (error) {
    throw new Error(`${/** @type {Error} */ (error).message}\npnpm dev printed:\n${output.slice(-3000)}`);
  } finally {
    restore();
    process.off('exit', restore);
    dev.kill('SIGTERM');
    await closed;
    rmSync(stateDir, { recursive: true, force: true });
  }
}
