// Pipeline speed: how long the build takes from nothing, that a second build is served wholly from
// Turborepo's cache, how long a one-line spec edit takes to reach every built package, and how long
// the code generators take on their own.
//
// Builds use a throw-away cache directory, so "cold" really means nothing cached and the developer's
// own .turbo cache is neither read nor written. The spec edit, the temporary folders and any build
// still running are cleaned up in a `finally`, on Ctrl-C/SIGTERM/SIGHUP and on exit; an edit left by a
// run killed harder than that (kill -9) is undone by the next run.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, round } from './stats.mjs';
import { ROOT, installedVersion, publicPackages } from './packages.mjs';

/** The file the spec-edit step changes, and the text it appends to one `summary:` line of it. */
export const EDITED_SPEC_FILE = join(ROOT, 'spec', 'paths', 'merchants_settings.yaml');
export const EDIT_MARKER = ' (edited by pnpm bench)';

const TURBO = join(ROOT, 'node_modules', '.bin', 'turbo');

/** Commands started by `timed` and not finished yet, stopped if the benchmark is interrupted. */
const running = new Set();

/**
 * Runs `cleanup` (synchronous, safe to call twice) when the process is interrupted or exits, until the
 * returned function is called. An interrupted run also stops the commands it started, then exits with
 * the conventional 128 + signal number.
 * @param {() => void} cleanup
 */
function cleanUpOnInterrupt(cleanup) {
  const signals = /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP']);
  /** @param {NodeJS.Signals} signal */
  const onSignal = (signal) => {
    for (const child of running) process.kill(-child.pid, signal); // its whole process group: turbo and its tasks
    cleanup();
    process.exit(128 + constants.signals[signal]);
  };
  for (const signal of signals) process.on(signal, onSignal);
  process.on('exit', cleanup);
  return () => {
    for (const signal of signals) process.off(signal, onSignal);
    process.off('exit', cleanup);
  };
}

/**
 * Runs a command and resolves with its combined output and wall-clock seconds; rejects on a non-zero exit.
 * @param {string} command
 * @param {string[]} args
 * @param {string} cwd
 */
function timed(command, args, cwd) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', FORCE_COLOR: '0', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so an interrupted benchmark can stop it with everything it started.
      detached: true,
    });
    running.add(child);
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      running.delete(child);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      if (code === 0) resolve({ output, seconds });
      else {
        const tail = output.trimEnd().split('\n').slice(-40).join('\n');
        reject(new Error(`\`${command} ${args.join(' ')}\` failed (${signal ?? `exit ${code}`}) in ${cwd}:\n${tail}`));
      }
    });
  });
}

/**
 * Reads Turborepo's summary of a run: the cached/total counts and which tasks actually executed.
 * @param {string} output
 */
export function parseTurboSummary(output) {
  const counts = /Cached:\s+(\d+) cached, (\d+) total/.exec(output);
  if (!counts) throw new Error(`no "Cached: N cached, N total" line in turbo's output:\n${output.slice(-2000)}`);
  const executed = [...output.matchAll(/^(\S+?:\S+?): cache (?:miss|bypass), executing/gm)].map((match) => String(match[1]));
  return { cached: Number(counts[1]), total: Number(counts[2]), executed: [...new Set(executed)].sort() };
}

/** The tasks the root `build` script runs (e.g. `turbo run lint build`), so we time what users run. */
function rootBuildTasks() {
  const script = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts?.build ?? '';
  const tasks = /turbo run ((?:[\w:-]+ ?)+)/.exec(script)?.[1]?.trim().split(' ');
  return tasks?.length ? tasks : ['build'];
}

/** Removes an edit a previous, killed run left behind. */
function undoLeftoverEdit() {
  const text = readFileSync(EDITED_SPEC_FILE, 'utf8');
  if (text.includes(EDIT_MARKER)) writeFileSync(EDITED_SPEC_FILE, text.replaceAll(EDIT_MARKER, ''));
}

/**
 * Appends the marker to the first `summary:` line of the spec file and returns the function that puts
 * the original bytes back (a no-op once they are back).
 */
function editSpec() {
  const original = readFileSync(EDITED_SPEC_FILE, 'utf8');
  const edited = original.replace(/^(\s*summary: .*)$/m, `$1${EDIT_MARKER}`);
  if (edited === original) throw new Error(`no "summary:" line to edit in ${relative(ROOT, EDITED_SPEC_FILE)}`);
  writeFileSync(EDITED_SPEC_FILE, edited);
  return () => {
    if (readFileSync(EDITED_SPEC_FILE, 'utf8') !== original) writeFileSync(EDITED_SPEC_FILE, original);
  };
}

/**
 * Every code generator the packages' build scripts run (`connect-codegen-<name> <spec> <out> ...`, the
 * bins of the tools/codegen-* packages), as the command in the package's node_modules/.bin and its
 * arguments, with the output redirected into `outDir`.
 * @param {string} outDir
 */
function codegenCommands(outDir) {
  const commands = [];
  for (const pkg of publicPackages()) {
    const script = /** @type {Record<string, string>} */ (pkg.manifest.scripts ?? {}).build ?? '';
    for (const match of script.matchAll(/(connect-codegen-[\w-]+)((?: [^&|;\s]+)*)/g)) {
      const [, bin = '', argText = ''] = match;
      const args = argText.trim().split(' ').filter(Boolean);
      const out = args.pop();
      if (out === undefined) continue;
      commands.push({ name: bin, cwd: pkg.absDir, command: join(pkg.absDir, 'node_modules', '.bin', bin), args: [...args, join(outDir, `${bin}-${basename(out)}`)] });
    }
  }
  return commands;
}

/** The absolute path of a dependency's command-line script, from its package.json `bin`. @param {string} name */
function packageBin(name) {
  const manifestFile = fileURLToPath(import.meta.resolve(`${name}/package.json`));
  const { bin } = JSON.parse(readFileSync(manifestFile, 'utf8'));
  return join(dirname(manifestFile), typeof bin === 'string' ? bin : bin[name]);
}

/**
 * @param {{ filter?: string, codegenRuns: number, log: (line: string) => void }} options
 */
export async function benchPipeline({ filter, codegenRuns, log }) {
  undoLeftoverEdit();
  const tasks = rootBuildTasks();
  const cacheDir = mkdtempSync(join(tmpdir(), 'bench-turbo-cache-'));
  const outDir = mkdtempSync(join(tmpdir(), 'bench-codegen-'));
  let restoreSpec = () => {};
  const cleanup = () => {
    restoreSpec();
    rmSync(cacheDir, { recursive: true, force: true });
    rmSync(outDir, { recursive: true, force: true });
  };
  const stopWatching = cleanUpOnInterrupt(cleanup);
  const turboArgs = ['run', ...tasks, `--cache-dir=${cacheDir}`, '--output-logs=new-only', ...(filter ? [`--filter=${filter}`] : [])];
  const command = `turbo ${turboArgs.join(' ').replace(cacheDir, '<empty temp dir>')}`;
  const build = async () => {
    const { output, seconds } = await timed(TURBO, turboArgs, ROOT);
    return { seconds: round(seconds, 2), ...parseTurboSummary(output) };
  };
  try {
    log(`pipeline: cold build (${command})`);
    const cold = await build();
    log(`pipeline: second build, expected fully cached`);
    const second = await build();
    log(`pipeline: build after a one-line edit of ${relative(ROOT, EDITED_SPEC_FILE)}`);
    restoreSpec = editSpec();
    const afterSpecEdit = await build();
    restoreSpec();
    log('pipeline: build after undoing the edit, expected fully cached');
    const afterRestore = await build();

    const codegen = [];
    for (const { name, cwd, command, args } of codegenCommands(outDir)) {
      log(`pipeline: ${name}, ${codegenRuns} runs`);
      const runs = [];
      for (let i = 0; i < codegenRuns; i++) runs.push((await timed(command, args, cwd)).seconds);
      codegen.push({ name, medianSeconds: round(median(runs), 2) });
    }
    const openapiTypescriptCli = packageBin('openapi-typescript');
    const spec = fileURLToPath(import.meta.resolve('@reportei-connect/openapi/openapi.json'));
    log(`pipeline: bare openapi-typescript CLI on the bundled spec, ${codegenRuns} runs`);
    const bareRuns = [];
    for (let i = 0; i < codegenRuns; i++) {
      const args = [openapiTypescriptCli, spec, '-o', join(outDir, 'openapi-typescript.ts')];
      bareRuns.push((await timed(process.execPath, args, ROOT)).seconds);
    }
    codegen.push({ name: `openapi-typescript ${installedVersion('openapi-typescript')} CLI (bare)`, medianSeconds: round(median(bareRuns), 2) });

    return {
      command,
      editedFile: relative(ROOT, EDITED_SPEC_FILE),
      cold,
      second: { ...second, fullyCached: second.cached === second.total },
      afterSpecEdit,
      afterRestore: { ...afterRestore, fullyCached: afterRestore.cached === afterRestore.total },
      codegen,
    };
  } finally {
    cleanup();
    stopWatching();
  }
}
