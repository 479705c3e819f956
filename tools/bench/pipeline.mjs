// Pipeline speed, through the root scripts users run (`pnpm build`, `pnpm test`): how long the build
// takes from nothing, that a second build is served wholly from Turborepo's cache, how long a one-line
// spec edit takes to reach every built package, how long the whole test suite takes uncached (and its
// slowest task), how many lines each command prints, and how long the code generators take on their own.
//
// Runs use a throw-away cache directory (TURBO_CACHE_DIR), so "cold" really means nothing cached and the
// developer's own .turbo cache is neither read nor written. The spec edit, the temporary folders and any build
// still running are cleaned up in a `finally`, on Ctrl-C/SIGTERM/SIGHUP and on exit; an edit left by a
// run killed harder than that (kill -9) is undone by the next run.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { constants, cpus, tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchDevLoop } from './dev-loop.mjs';
import { median, round } from './stats.mjs';
import { specBuilds } from '@reportei-connect/dev/plan';
import { workspacePackages } from '@reportei-connect/release/workspace';
import { ROOT, installedVersion } from './packages.mjs';

/** The file the spec-edit step changes, and the text it appends to one `summary:` line of it. */
export const EDITED_SPEC_FILE = join(ROOT, 'spec', 'paths', 'merchants_settings.yaml');
export const EDIT_MARKER = ' (edited by pnpm bench)';

const PNPM = 'pnpm';

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
 * @param {Record<string, string>} [env] added to the environment
 * @param {boolean} [allowFailure] resolve on a non-zero exit too (`pnpm test --continue` reports its failures in the summary)
 * @returns {Promise<{ output: string, seconds: number }>}
 */
function timed(command, args, cwd, env = {}, allowFailure = false) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', FORCE_COLOR: '0', NO_COLOR: '1', ...env },
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
      if (code === 0 || (allowFailure && code !== null)) resolve({ output, seconds });
      else {
        const tail = output.trimEnd().split('\n').slice(-40).join('\n');
        reject(new Error(`\`${command} ${args.join(' ')}\` failed (${signal ?? `exit ${code}`}) in ${cwd}:\n${tail}`));
      }
    });
  });
}

/**
 * What Turborepo's run summary (`--summarize`) says of a run: how many tasks there were, how many came
 * from the cache, which ran, and how long each that ran took.
 * @param {{ tasks: { taskId: string, cache: { status: string }, execution?: { startTime: number, endTime: number, exitCode?: number } }[] }} summary
 */
export function parseRunSummary(summary) {
  const ran = summary.tasks.filter((task) => task.cache.status !== 'HIT' && task.execution);
  return {
    failed: ran.filter((task) => task.execution?.exitCode !== 0).map((task) => task.taskId).sort(),
    cached: summary.tasks.filter((task) => task.cache.status === 'HIT').length,
    total: summary.tasks.length,
    executed: ran.map((task) => task.taskId).sort(),
    taskSeconds: Object.fromEntries(ran.map((task) => [task.taskId, round(((task.execution?.endTime ?? 0) - (task.execution?.startTime ?? 0)) / 1000, 1)])),
  };
}

/**
 * The summary file a `--summarize` run names on its last lines, read and removed.
 * @param {string} output
 */
function takeRunSummary(output) {
  const file = /Summary:\s+(\S+\.json)/.exec(output)?.[1];
  if (!file) throw new Error(`no "Summary: <file>" line in turbo's output:\n${output.slice(-2000)}`);
  const summary = JSON.parse(readFileSync(file, 'utf8'));
  unlinkSync(file);
  return parseRunSummary(summary);
}

/**
 * The CPU-seconds the whole machine has spent busy so far: every core's user, nice, system and
 * interrupt time. The difference across a step counts every process the step started, also those
 * time(1) loses track of, such as Chromium's renderers (forked from its zygote, not its children); on a
 * busy machine it counts the other work too, hence the load average saved beside the figures.
 */
export const machineBusySeconds = () => cpus().reduce((sum, { times }) => sum + times.user + times.nice + times.sys + times.irq, 0) / 1000;

/** How many lines a command printed, as a reader of the terminal counts them. @param {string} output */
export const lineCount = (output) => (output.trimEnd() === '' ? 0 : output.trimEnd().split('\n').length);

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
 * Every code generator the packages' build scripts run, read as `pnpm dev` reads them (tools/dev's
 * plan), as the command in the package's node_modules/.bin and its arguments, with the output
 * redirected into `outDir`.
 * @param {string} outDir
 */
function codegenCommands(outDir) {
  return specBuilds(workspacePackages()).flatMap((build) =>
    build.steps.flatMap((step) =>
      step.kind === 'generator'
        ? [{
            name: step.bin,
            cwd: build.dir,
            command: join(build.dir, 'node_modules', '.bin', step.bin),
            args: [step.specifier, ...Object.entries(step.options).flatMap(([name, value]) => [`--${name}`, value]), join(outDir, `${step.bin}-${basename(step.out)}`)],
          }]
        : [],
    ),
  );
}

/** The absolute path of a dependency's command-line script, from its package.json `bin`. @param {string} name */
function packageBin(name) {
  const manifestFile = fileURLToPath(import.meta.resolve(`${name}/package.json`));
  const { bin } = JSON.parse(readFileSync(manifestFile, 'utf8'));
  return join(dirname(manifestFile), typeof bin === 'string' ? bin : bin[name]);
}

/**
 * @param {{ filter?: string, codegenRuns: number, devRounds: number, log: (line: string) => void }} options
 */
export async function benchPipeline({ filter, codegenRuns, devRounds, log }) {
  undoLeftoverEdit();
  const cacheDir = mkdtempSync(join(tmpdir(), 'bench-turbo-cache-'));
  const outDir = mkdtempSync(join(tmpdir(), 'bench-codegen-'));
  let restoreSpec = () => {};
  const cleanup = () => {
    restoreSpec();
    rmSync(cacheDir, { recursive: true, force: true });
    rmSync(outDir, { recursive: true, force: true });
  };
  const stopWatching = cleanUpOnInterrupt(cleanup);
  const extraArgs = ['--summarize', ...(filter ? [`--filter=${filter}`] : [])];
  /** `pnpm <script>`, as the README runs it, against the throw-away cache. @param {'build' | 'test'} script */
  const run = async (script) => {
    // A failing test task still gives its time (the README check of this very bench fails until --save
    // has written the new figures): the summary lists it, and the report says so.
    const busyBefore = machineBusySeconds();
    const { output, seconds } = await timed(PNPM, [script, ...extraArgs], ROOT, { TURBO_CACHE_DIR: cacheDir }, script === 'test');
    const cpuSeconds = round(machineBusySeconds() - busyBefore, 1);
    // What a reader sees: the output without the summary's file name, which only --summarize adds.
    const lines = lineCount(output.replace(/^.*Summary:.*\n?/m, ''));
    return { seconds: round(seconds, 2), cpuSeconds, lines, ...takeRunSummary(output) };
  };
  try {
    log('pipeline: cold build (pnpm build, empty cache)');
    const cold = await run('build');
    log('pipeline: second build, expected fully cached');
    const second = await run('build');
    log(`pipeline: build after a one-line edit of ${relative(ROOT, EDITED_SPEC_FILE)}`);
    restoreSpec = editSpec();
    const afterSpecEdit = await run('build');
    restoreSpec();
    log('pipeline: build after undoing the edit, expected fully cached');
    const afterRestore = await run('build');
    // The edits of pnpm dev before the test run, not after: for half a minute after it the same edits
    // took about 0.8 s longer (the first three of five), though no process of it was left running.
    log(`pipeline: pnpm dev, ${devRounds} spec edits`);
    const dev = await benchDevLoop({ rounds: devRounds, log });
    log('pipeline: pnpm test, every test task uncached (the builds from the cache)');
    const test = await run('test');

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
      command: 'pnpm build',
      testCommand: 'pnpm test',
      editedFile: relative(ROOT, EDITED_SPEC_FILE),
      cold,
      second: { ...second, fullyCached: second.cached === second.total },
      afterSpecEdit,
      afterRestore: { ...afterRestore, fullyCached: afterRestore.cached === afterRestore.total },
      test,
      dev,
      codegen,
    };
  } finally {
    cleanup();
    stopWatching();
  }
}
