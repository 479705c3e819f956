// @ts-check
// `pnpm dev`: the spec edit, live. Watches spec/; on each save lints and bundles the document with
// Redocly, regenerates what depends on it (the generators of every package's build script, kept warm in
// this process) and rebuilds those packages, shows the new document on the docs site (open pages
// reload themselves) and restarts the sandbox on it, keeping its --state. One line per rebuild says
// what changed and when each part was live; a lint or build error is printed and watching goes on.
import { spawn } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { watch } from 'chokidar';
import { generateInto } from '@reportei-connect/codegen-core';
import { startDevDocsServer } from '@reportei-connect/docs/dev-server';
import { ROOT, workspacePackages } from '@reportei-connect/release/workspace';
import { generatorPackages, specBuilds } from './plan.mjs';
import { sandboxProcess } from './sandbox-process.mjs';

/** @typedef {import('./plan.mjs').PackageBuild} PackageBuild */

const require = createRequire(import.meta.url);
const redocly = join(dirname(require.resolve('@redocly/cli/package.json')), 'bin', 'cli.js');
const specPackage = workspacePackages().find((pkg) => pkg.name === '@reportei-connect/openapi');
if (!specPackage) throw new Error('pnpm-workspace.yaml lists no @reportei-connect/openapi package');
const specDir = specPackage.absDir;
/** What a save under spec/ must not trigger: outputs and the spec package's own tests and installs. */
const IGNORED = /^(dist|node_modules|test|\.turbo)(\/|$)/;
/** The files the document and its data are written in. */
const SPEC_FILE = /\.(ya?ml|json|md)$/;

/**
 * Runs `command` with `sh -c` in `cwd`, with the package's bins on the PATH as pnpm would; resolves with
 * its output, rejects with it on failure.
 * @param {string} command
 * @param {string} cwd
 * @param {string} [label] what to call it in an error, default the command
 * @returns {Promise<string>}
 */
function sh(command, cwd, label = command) {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], {
      cwd,
      // Its own process group: Ctrl-C in the terminal stops pnpm dev, which lets the rebuild in
      // progress finish, rather than killing tsup or tsc halfway through writing dist/.
      detached: true,
      env: { ...process.env, PATH: `${join(cwd, 'node_modules', '.bin')}:${process.env.PATH}`, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new BuildError(`${label} (in ${relative(ROOT, cwd) || '.'}) failed:\n${output.trim()}`))));
  });
}

/** A step that failed in a way the person editing can fix: its message is all they need. */
class BuildError extends Error {}

/**
 * @param {object} options
 * @param {number} options.docsPort
 * @param {number | undefined} options.sandboxPort undefined: no sandbox
 * @param {string} options.state
 * @param {(line: string) => void} [options.print]
 */
export async function startDev({ docsPort, sandboxPort, state, print = (line) => console.log(line) }) {
  const packages = workspacePackages();
  const builds = specBuilds(packages);
  const generatorOf = generatorPackages(packages);
  /** @type {Map<string, import('@reportei-connect/codegen-core').Generator>} */
  const generators = new Map();
  for (const step of builds.flatMap((build) => build.steps)) {
    if (step.kind !== 'generator' || generators.has(step.bin)) continue;
    const name = generatorOf.get(step.bin);
    if (!name) throw new Error(`no workspace package has the bin ${step.bin} that a build script runs`);
    generators.set(step.bin, (await import(name)).generator);
  }

  /**
   * Runs `run` for every build, each once the builds it depends on are done (a package reads the
   * declarations of the packages it imports), the others side by side.
   * @param {(build: PackageBuild) => Promise<void>} run
   */
  function buildOrder(run) {
    /** @type {Map<string, Promise<void>>} */
    const done = new Map();
    /**
     * @param {PackageBuild} build
     * @returns {Promise<void>}
     */
    const start = (build) => {
      let promise = done.get(build.name);
      if (!promise) {
        promise = Promise.all(build.after.map((name) => start(/** @type {PackageBuild} */ (builds.find((other) => other.name === name))))).then(() => run(build));
        done.set(build.name, promise);
      }
      return promise;
    };
    return builds.map(start);
  }

  /** Lints and bundles the spec, then regenerates and rebuilds each package; returns when each was done. */
  async function rebuild() {
    const started = performance.now();
    const since = () => (performance.now() - started) / 1000;
    /** @type {[string, number][]} */
    const live = [];
    // The lint runs beside everything else: a document that bundles is carried everywhere at once, and
    // the lint's problems, if any, end the line (pnpm build refuses such a document).
    const lint = sh(`node ${JSON.stringify(redocly)} lint --config redocly.yaml --format stylish`, specDir, 'redocly lint').then(
      () => undefined,
      (/** @type {unknown} */ error) => error,
    );
    try {
      await sh(specPackage?.manifest.scripts.build, specDir);
    } catch (error) {
      const lintProblem = await lint;
      throw lintProblem instanceof BuildError ? lintProblem : error;
    }
    const document = JSON.parse(await readFile(join(specDir, 'dist', 'openapi.json'), 'utf8'));
    live.push(['bundle', since()]);

    docs.update(document);
    live.push(['docs', since()]);
    await Promise.all([
      sandbox?.restart().then(() => live.push(['sandbox', since()])),
      ...buildOrder(async (build) => {
        for (const step of build.steps) {
          if (step.kind === 'shell') await sh(step.command, build.dir);
          else await generateInto(/** @type {import('@reportei-connect/codegen-core').Generator} */ (generators.get(step.bin)), { ...step, cwd: build.dir, warn: (message) => print(`${step.bin}: ${message}`) });
        }
        live.push([build.name.replace('@reportei-connect/', ''), since()]);
      }),
    ]);
    const lintProblem = await lint;
    if (lintProblem) throw lintProblem;
    live.push(['lint', since()]);
    return live;
  }

  const initial = JSON.parse(await readFile(join(specDir, 'dist', 'openapi.json'), 'utf8'));
  const docs = await startDevDocsServer({ document: initial, port: docsPort });
  await mkdir(dirname(state), { recursive: true });
  const sandbox = sandboxPort === undefined ? undefined : sandboxProcess({ port: sandboxPort, state, onExit: (message) => print(`sandbox: ${message}; it starts again on the next save.`) });

  /** @type {Set<string>} */
  let changed = new Set();
  /** @type {Promise<void> | undefined} */
  let running;
  let closing = false;
  /** Runs a rebuild for what changed since the last one; a save during a rebuild queues one more. */
  function drain() {
    running ??= rebuildWhileChanged().finally(() => (running = undefined));
    return running;
  }
  async function rebuildWhileChanged() {
    while (changed.size > 0 && !closing) {
      const files = [...changed];
      changed = new Set();
      const clock = new Date().toTimeString().slice(0, 8);
      try {
        const live = await rebuild();
        print(`${clock} ${files.join(', ')}: ${live.map(([what, seconds]) => `${what} ${seconds.toFixed(1)} s`).join(', ')}`);
      } catch (error) {
        if (!(error instanceof BuildError || (error instanceof Error && /^the sandbox ended/.test(error.message)))) throw error;
        print(`${clock} ${files.join(', ')}: ${error.message}\nStill watching spec/: save again to retry.`);
      }
    }
  }

  let timer = /** @type {NodeJS.Timeout | undefined} */ (undefined);
  // chokidar, not fs.watch: Node 20's recursive fs.watch on Linux loses a file that an editor replaces
  // by renaming a new copy over it, which is how most editors (and sed -i) save.
  const watcher = watch(specDir, { ignoreInitial: true, ignored: (path) => IGNORED.test(relative(specDir, path)) });
  watcher.on('all', (_event, path) => {
    // Only the document's own files: not an editor's or sed's temporary copy.
    if (!SPEC_FILE.test(path)) return;
    changed.add(relative(specDir, path));
    // Editors write a file in several steps (truncate, write, rename): wait for the burst to end.
    clearTimeout(timer);
    timer = setTimeout(() => void drain().catch(fail), 50);
  });
  await new Promise((resolve) => watcher.once('ready', () => resolve(undefined)));
  /** @param {unknown} error */
  const fail = (error) => {
    print(`pnpm dev stopped on an unexpected error: ${error instanceof Error ? error.stack : String(error)}`);
    void close().then(() => process.exit(1));
  };

  const sandboxLines = sandbox ? await sandbox.start().catch((/** @type {Error} */ error) => [`(no sandbox: ${error.message})`]) : [];
  print(`Docs: ${docs.url} (reloads on each rebuild)`);
  if (sandbox) print(`Sandbox on port ${sandboxPort}, state in ${relative(process.cwd(), state)}, restarted on each rebuild:\n${sandboxLines.join('\n')}`);
  print(`Watching ${relative(process.cwd(), specDir) || '.'}/ for changes (Ctrl-C to stop).`);

  async function close() {
    closing = true;
    await watcher.close();
    clearTimeout(timer);
    if (running) {
      print('Stopping once the rebuild in progress has written its files...');
      await running;
    }
    await Promise.all([docs.close(), sandbox?.stop()]);
  }
  return { docsUrl: docs.url, close };
}
