#!/usr/bin/env node
// @ts-check
// `pnpm release:check`: the published packages as a user gets them. Packs every package that is
// published, installs the tarballs with npm into a new project outside the workspace, and there
// type-checks and runs every TypeScript example of the READMEs against the sandbox (started from its
// tarball), requires and imports every entry of every package, runs every bin with --help, and runs
// publint and arethetypeswrong on every tarball. See RELEASING.md, "The release check".

import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startRedis } from '@reportei-connect/redis-server';
import { EXAMPLE_SETTINGS } from './examples.mjs';
import { extractExamples, importedPackages } from './readme-examples.mjs';
import { metadataProblems, publishedPackages, readJson, releasingTableProblems, ROOT, workspacePackages } from './workspace.mjs';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));

const usage = `Usage: pnpm release:check [--keep]

Packs every published package, installs the tarballs with npm into a new project in ${os.tmpdir()},
and there type-checks and runs the READMEs' TypeScript examples (against the sandbox), requires and
imports every entry, runs every bin with --help, and runs publint and arethetypeswrong on every tarball.
  --keep   keep the temporary project and print where it is
  --help   show this text`;

const { values: options } = parseArgs({ options: { keep: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } } });
if (options.help) {
  console.log(usage);
  process.exit(0);
}

/** Limits that only turn a hang into a failure: two busy cores make everything slow. */
const LIMITS = { pack: 300_000, install: 900_000, tsc: 600_000, example: 300_000, sandbox: 120_000, entry: 120_000, lint: 300_000 };

class CheckFailed extends Error {
  /** @param {string} step @param {string[]} problems */
  constructor(step, problems) {
    super(`${step}:\n${problems.map((problem) => `  - ${problem.replace(/\n/g, '\n    ')}`).join('\n')}`);
  }
}

const say = (/** @type {string} */ message) => console.log(`release:check: ${message}`);

/**
 * Runs a command to its end; never rejects: the caller decides what a failure means.
 *
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd: string, env?: NodeJS.ProcessEnv, timeoutMs: number }} options
 * @returns {Promise<{ code: number | null, signal: NodeJS.Signals | null, stdout: string, stderr: string, timedOut: boolean }>}
 */
function run(command, args, { cwd, env = cleanEnv(), timeoutMs }) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32' });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, signal: null, stdout, stderr: `${stderr}${error.message}\n`, timedOut });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

/** @param {number | undefined} pid */
function killGroup(pid) {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/**
 * The environment without what pnpm's script runner adds (npm_package_*, npm_lifecycle_*, npm_config_*
 * settings of this workspace), so npm and the examples run as in a user's shell. The registry and
 * npm's own user config (where CI puts its token) are kept.
 *
 * @param {NodeJS.ProcessEnv} [extra]
 */
function cleanEnv(extra = {}) {
  /** @type {NodeJS.ProcessEnv} */
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    const lower = key.toLowerCase();
    if (lower.startsWith('npm_') && !['npm_config_registry', 'npm_config_userconfig', 'npm_config_cache'].includes(lower)) continue;
    if (lower.startsWith('pnpm_') || key === 'INIT_CWD' || key.startsWith('REPORTEI_CONNECT_') || key.startsWith('CONNECT_')) continue;
    env[key] = value;
  }
  return { ...env, NO_UPDATE_NOTIFIER: '1', ...extra };
}

/** @param {{ code: number | null, signal: NodeJS.Signals | null, stdout: string, stderr: string, timedOut: boolean }} result */
const describeRun = (result) =>
  [
    result.timedOut ? 'did not finish in time (killed)' : `exited with ${result.signal ?? `code ${result.code}`}`,
    result.stdout.trim() && `stdout:\n${tail(result.stdout)}`,
    result.stderr.trim() && `stderr:\n${tail(result.stderr)}`,
  ]
    .filter(Boolean)
    .join('\n');

/** @param {string} text */
const tail = (text, lines = 60) => {
  const all = text.trimEnd().split('\n');
  return (all.length > lines ? [`... (${all.length - lines} lines above)`, ...all.slice(-lines)] : all).join('\n');
};

// ---------------------------------------------------------------------------------------------------

const started = Date.now();
const packages = publishedPackages();
const publishedNames = new Set(packages.map((pkg) => pkg.name));
const work = mkdtempSync(path.join(os.tmpdir(), 'reportei-release-check-'));
const tarballDir = path.join(work, 'tarballs');
const project = path.join(work, 'project');
mkdirSync(tarballDir);
mkdirSync(project);
say(`${packages.length} packages to publish: ${packages.map((pkg) => pkg.name).join(', ')}`);

/** @type {import('node:child_process').ChildProcess | undefined} */
let sandboxProcess;
/** @type {import('@reportei-connect/redis-server').RunningRedis | undefined} */
let redis;
let failed = false;
try {
  // 1. Metadata ----------------------------------------------------------------------------------------
  const metadata = [...releasingTableProblems(), ...metadataProblems()];
  if (metadata.length > 0) throw new CheckFailed('the packages\' metadata (RELEASING.md, "What is published")', metadata);
  say('metadata: ok');

  // 2. Pack ------------------------------------------------------------------------------------------
  /** @type {Map<string, { tarball: string, files: string[], manifest: Record<string, any> }>} */
  const packed = new Map();
  const packProblems = [];
  for (const pkg of packages) {
    const result = await run('pnpm', ['pack', '--pack-destination', tarballDir, '--json'], { cwd: pkg.absDir, env: cleanEnv(), timeoutMs: LIMITS.pack });
    if (result.code !== 0) {
      packProblems.push(`pnpm pack in ${pkg.dir} ${describeRun(result)}`);
      continue;
    }
    const report = JSON.parse(result.stdout.slice(result.stdout.indexOf('{')));
    const tarball = /** @type {string} */ (report.filename);
    const files = /** @type {{ path: string }[]} */ (report.files).map((file) => file.path);
    const list = await run('tar', ['-xzOf', tarball, 'package/package.json'], { cwd: work, timeoutMs: LIMITS.pack });
    const manifest = JSON.parse(list.stdout);
    packed.set(pkg.name, { tarball, files, manifest });
    for (const [dependency, spec] of Object.entries(/** @type {Record<string, string>} */ (manifest.dependencies ?? {}))) {
      if (String(spec).startsWith('workspace:')) packProblems.push(`${pkg.name}: its packed package.json still says "${dependency}": "${spec}"`);
      if (workspacePackages().some((other) => other.name === dependency) && !publishedNames.has(dependency)) {
        packProblems.push(`${pkg.name} depends at run time on ${dependency}, which is not published: a user could not install it`);
      }
    }
    for (const file of ['LICENSE', 'README.md', 'package.json']) {
      if (!files.includes(file)) packProblems.push(`${pkg.name}: the tarball has no ${file}`);
    }
  }
  if (packProblems.length > 0) throw new CheckFailed('packing', packProblems);
  say(`packed ${packed.size} tarballs in ${tarballDir}`);

  // 3. The README examples, and what they import ------------------------------------------------------
  const readmes = ['README.md', ...packages.map((pkg) => `${pkg.dir}/README.md`)];
  const examples = readmes.flatMap((readme) => extractExamples(readFileSync(path.join(ROOT, readme), 'utf8'), readme));
  const settingProblems = [];
  const settings = new Map();
  for (const setting of EXAMPLE_SETTINGS) {
    const matches = examples.filter((example) => example.readme === setting.readme && example.code.includes(setting.contains));
    if (matches.length !== 1) {
      settingProblems.push(`tools/release/examples.mjs: ${matches.length} blocks of ${setting.readme} contain ${JSON.stringify(setting.contains)}; it must name exactly one`);
    } else settings.set(matches[0], setting);
  }
  for (const example of examples) {
    if (example.lang === 'tsx' && !settings.get(example)?.expect) {
      settingProblems.push(`${example.readme}:${example.line}: a page never ends by itself: give the example an \`expect\` in tools/release/examples.mjs (what the page shows once it has worked)`);
    }
  }
  if (settingProblems.length > 0) throw new CheckFailed('the README examples', settingProblems);

  // The third-party packages the examples import, at the versions the workspace tests with, plus the
  // compiler, Node's types, their @types/ packages and, for the .tsx examples, a DOM.
  const versions = workspaceVersions();
  const wanted = new Set(['typescript', '@types/node']);
  for (const example of examples) {
    for (const name of importedPackages(`${settings.get(example)?.prelude ?? ''}\n${example.code}`)) {
      if (publishedNames.has(name)) continue;
      if (workspacePackages().some((pkg) => pkg.name === name)) {
        settingProblems.push(`${example.readme}:${example.line}: the example imports ${name}, which is not published`);
        continue;
      }
      wanted.add(name);
      if (versions.has(`@types/${name}`)) wanted.add(`@types/${name}`);
    }
    // A .tsx example compiles to react/jsx-runtime imports: React and its types, and a DOM to run in.
    if (example.lang === 'tsx') for (const name of ['react', '@types/react', 'happy-dom']) wanted.add(name);
  }
  const thirdParty = [];
  for (const name of [...wanted].sort()) {
    const version = versions.get(name);
    if (version === undefined) settingProblems.push(`an example needs ${name}, but no package of the workspace depends on it: add it to the devDependencies of the package whose README imports it`);
    else thirdParty.push(`${name}@${version}`);
  }
  if (settingProblems.length > 0) throw new CheckFailed('the README examples', settingProblems);

  // 4. Install, outside the workspace ------------------------------------------------------------------
  writeFileSync(path.join(project, 'package.json'), `${JSON.stringify({ name: 'release-check-project', version: '0.0.0', private: true, type: 'module' }, null, 2)}\n`);
  const tarballs = [...packed.values()].map((entry) => entry.tarball);
  say(`npm install ${tarballs.length} tarballs and ${thirdParty.join(' ')} in ${project}`);
  const install = await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', ...tarballs, ...thirdParty], {
    cwd: project,
    timeoutMs: LIMITS.install,
  });
  if (install.code !== 0) throw new CheckFailed('npm install of the tarballs', [describeRun(install)]);
  const installProblems = [];
  for (const pkg of packages) {
    const dir = path.join(project, 'node_modules', pkg.name);
    if (!existsSync(dir)) installProblems.push(`${pkg.name} is not in node_modules`);
    else if (lstatSync(dir).isSymbolicLink() || !realpathSync(dir).startsWith(realpathSync(project))) installProblems.push(`${pkg.name} is a link, not an installed copy`);
  }
  if (installProblems.length > 0) throw new CheckFailed('npm install of the tarballs', installProblems);
  say('installed');

  // 5. Type-check the examples ------------------------------------------------------------------------
  const examplesDir = path.join(project, 'examples');
  mkdirSync(examplesDir);
  /** @type {{ example: import('./readme-examples.mjs').ReadmeExample, file: string, preludeLines: number, setting: import('./examples.mjs').ExampleSetting | undefined }[]} */
  const written = [];
  for (const example of examples) {
    const setting = settings.get(example);
    const slug = example.readme === 'README.md' ? 'root' : path.dirname(example.readme).replace(/[/\\]/g, '-');
    const file = `${slug}-readme-${example.index}.${example.lang}`;
    const header = `// ${example.readme}, line ${example.line}${setting?.prelude ? ' (after the prelude from tools/release/examples.mjs)' : ''}`;
    const prelude = setting?.prelude ? `${setting.prelude}\n` : '';
    const code = Object.entries(setting?.define ?? {}).reduce((text, [from, to]) => text.replaceAll(from, to), example.code);
    writeFileSync(path.join(examplesDir, file), `${header}\n${prelude}${code}`);
    written.push({ example, file, preludeLines: 1 + (prelude ? prelude.split('\n').length - 1 : 0), setting });
  }
  writeFileSync(
    path.join(project, 'tsconfig.json'),
    `${JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          moduleDetection: 'force',
          lib: ['ES2022', 'DOM', 'DOM.Iterable'],
          types: ['node'],
          jsx: 'react-jsx',
          strict: true,
          skipLibCheck: false,
          resolveJsonModule: true,
          outDir: 'out',
          rootDir: 'examples',
        },
        include: ['examples'],
      },
      null,
      2,
    )}\n`,
  );
  const tsc = await run(process.execPath, [path.join(project, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--pretty', 'false'], {
    cwd: project,
    timeoutMs: LIMITS.tsc,
  });
  if (tsc.code !== 0) {
    const problems = tsc.stdout
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => {
        const match = /^examples\/([^()]+)\((\d+),(\d+)\): (.*)$/.exec(line);
        const entry = match && written.find((candidate) => candidate.file === match[1]);
        if (!match || !entry) return line;
        const lineInFile = Number(match[2]);
        return lineInFile <= entry.preludeLines
          ? `${entry.example.readme} (the prelude of its block on line ${entry.example.line}, in tools/release/examples.mjs): ${match[4]}`
          : `${entry.example.readme}:${entry.example.line + lineInFile - entry.preludeLines - 1}:${match[3]}: ${match[4]}`;
      });
    throw new CheckFailed(`type-checking the ${written.length} README examples`, problems.length > 0 ? problems : [describeRun(tsc)]);
  }
  say(`type-checked ${written.length} README examples`);

  // 6. Run them against the sandbox, started from its tarball ------------------------------------------
  copyFileSync(path.join(HERE, 'harness.mjs'), path.join(project, 'harness.mjs'));
  const sandbox = await startSandbox(project);
  sandboxProcess = sandbox.child;
  say(`sandbox listening: ${sandbox.env.REPORTEI_CONNECT_BASE_URL}`);
  if (written.some(({ setting }) => setting?.redis)) {
    redis = await startRedis();
    say(`redis-server listening: ${redis.url}`);
  }
  const runProblems = [];
  for (const { example, file, setting } of written) {
    const script = path.join('out', file.replace(/\.tsx?$/, '.js'));
    const result = await run(process.execPath, ['--import', './harness.mjs', script, ...(setting?.args ?? [])], {
      cwd: project,
      env: cleanEnv({ ...sandbox.env, ...(setting?.redis && redis && { REDIS_URL: redis.url }), ...(example.lang === 'tsx' && { RELEASE_CHECK_DOM: setting?.expect?.source ?? '' }) }),
      timeoutMs: LIMITS.example,
    });
    const where = `${example.readme}, the example on line ${example.line}`;
    if (result.code !== 0) runProblems.push(`${where} ${describeRun(result)}`);
    else if (setting?.expect && !setting.expect.test(result.stdout)) runProblems.push(`${where}: its output does not match ${setting.expect}\n${describeRun(result)}`);
    else say(`ran ${where}`);
  }
  await stopSandbox(sandbox.child);
  sandboxProcess = undefined;
  await redis?.stop();
  redis = undefined;
  if (runProblems.length > 0) throw new CheckFailed('running the README examples against the sandbox', runProblems);

  // 7. Every entry, every bin -------------------------------------------------------------------------
  const entryProblems = [];
  /** @type {{ name: string, specifier: string, how: 'require' | 'import' | 'import-json' | 'read' }[]} */
  const entries = [];
  for (const pkg of packages) {
    const installed = path.join(project, 'node_modules', pkg.name);
    const manifest = readJson(path.join(installed, 'package.json'));
    for (const entry of entriesOf(manifest, installed)) entries.push({ name: pkg.name, ...entry });
    if (entriesOf(manifest, installed).length === 0) entryProblems.push(`${pkg.name}: no entry in "exports"`);
  }
  writeFileSync(path.join(project, 'entries.json'), `${JSON.stringify(entries, null, 2)}\n`);
  writeFileSync(path.join(project, 'entries.mjs'), entriesScript());
  const entryRun = await run(process.execPath, ['entries.mjs'], { cwd: project, env: cleanEnv(), timeoutMs: LIMITS.entry });
  if (entryRun.code !== 0) entryProblems.push(entryRun.stdout.trim() || describeRun(entryRun));
  for (const pkg of packages) {
    const manifest = readJson(path.join(project, 'node_modules', pkg.name, 'package.json'));
    const bins = typeof manifest.bin === 'string' ? { [pkg.name.split('/').pop() ?? pkg.name]: manifest.bin } : (manifest.bin ?? {});
    for (const bin of Object.keys(bins)) {
      const result = await run(path.join(project, 'node_modules/.bin', bin), ['--help'], { cwd: project, env: cleanEnv(), timeoutMs: LIMITS.entry });
      if (result.code !== 0 || !/usage/i.test(result.stdout)) entryProblems.push(`${pkg.name}: \`${bin} --help\` ${describeRun(result)}`);
    }
    if (Object.keys(bins).length === 1) {
      // What a user types: `npx @reportei-connect/sandbox` runs the package's one command.
      const result = await run('npx', ['--no-install', pkg.name, '--help'], { cwd: project, env: cleanEnv(), timeoutMs: LIMITS.entry });
      if (result.code !== 0 || !/usage/i.test(result.stdout)) entryProblems.push(`${pkg.name}: \`npx ${pkg.name} --help\` ${describeRun(result)}`);
    }
  }
  if (entryProblems.length > 0) throw new CheckFailed('requiring and importing every entry', entryProblems);
  say(`required or imported ${entries.length} entries; ran every bin, and npx <package>, with --help`);

  // 8. publint and arethetypeswrong on every tarball ---------------------------------------------------
  const lintProblems = [];
  const { publint } = await import('publint');
  const { formatMessage } = await import('publint/utils');
  const attw = path.join(path.dirname(require.resolve('@arethetypeswrong/cli/package.json')), 'dist/index.js');
  for (const pkg of packages) {
    const entry = /** @type {{ tarball: string, manifest: Record<string, any> }} */ (packed.get(pkg.name));
    const bytes = readFileSync(entry.tarball);
    const tarball = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const { messages, pkg: lintedManifest } = await publint({ pack: { tarball }, strict: true });
    for (const message of messages) lintProblems.push(`publint ${pkg.name}: ${message.type}: ${formatMessage(message, lintedManifest) ?? message.code}`);
    const profile = hasRequireCondition(entry.manifest) ? 'node16' : 'esm-only';
    const result = await run(process.execPath, [attw, entry.tarball, '--profile', profile, '--format', 'ascii', ...attwExclusions(entry.manifest)], {
      cwd: work,
      env: cleanEnv({ NO_COLOR: '1' }),
      timeoutMs: LIMITS.lint,
    });
    if (result.code !== 0) lintProblems.push(`attw --profile ${profile} ${pkg.name}: ${describeRun(result)}`);
  }
  if (lintProblems.length > 0) throw new CheckFailed('publint and arethetypeswrong', lintProblems);
  say(`publint --strict and attw: ok for ${packages.length} tarballs`);

  say(`passed in ${Math.round((Date.now() - started) / 1000)} s`);
} catch (error) {
  failed = true;
  console.error(`\nrelease:check FAILED in ${error instanceof CheckFailed ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
} finally {
  if (sandboxProcess !== undefined) await stopSandbox(sandboxProcess);
  await redis?.stop();
  if (options.keep || failed) say(`the temporary project is kept in ${project}`);
  else rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

// ---------------------------------------------------------------------------------------------------

/**
 * The version the workspace uses of every package any of its package.json files names (the root's
 * first, then the packages' dependencies, devDependencies and, for peers only, peerDependencies),
 * exact versions winning over ranges.
 *
 * @returns {Map<string, string>}
 */
function workspaceVersions() {
  /** @type {Map<string, string>} */
  const versions = new Map();
  const manifests = [readJson(path.join(ROOT, 'package.json')), ...workspacePackages().map((pkg) => pkg.manifest)];
  for (const field of ['devDependencies', 'dependencies', 'peerDependencies']) {
    for (const manifest of manifests) {
      for (const [name, spec] of Object.entries(/** @type {Record<string, string>} */ (manifest[field] ?? {}))) {
        if (String(spec).startsWith('workspace:')) continue;
        const exact = /^\d+\.\d+\.\d+$/.test(spec);
        if (!versions.has(name) || (exact && !/^\d+\.\d+\.\d+$/.test(/** @type {string} */ (versions.get(name))))) versions.set(name, spec);
      }
    }
  }
  return versions;
}

/**
 * Starts `connect-sandbox --port 0 --quiet` from the installed tarball and reads the
 * REPORTEI_CONNECT_* lines it prints when it listens.
 *
 * @param {string} cwd
 * @returns {Promise<{ child: import('node:child_process').ChildProcess, env: Record<string, string> }>}
 */
function startSandbox(cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(cwd, 'node_modules/.bin/connect-sandbox'), ['--port', '0', '--quiet'], {
      cwd,
      env: cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      killGroup(child.pid);
      reject(new CheckFailed('starting the sandbox', [`connect-sandbox did not print its address within ${LIMITS.sandbox / 1000} s\n${stderr}`]));
    }, LIMITS.sandbox);
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      stdout += chunk;
      const env = Object.fromEntries([...stdout.matchAll(/^(REPORTEI_CONNECT_[A-Z_]+)=(.*)$/gm)].map((match) => [match[1], match[2]]));
      if (Object.keys(env).length === 4) {
        clearTimeout(timer);
        resolve({ child, env });
      }
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new CheckFailed('starting the sandbox', [error.message]));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new CheckFailed('starting the sandbox', [`connect-sandbox exited with ${signal ?? `code ${code}`} before listening\n${stderr}`]));
    });
  });
}

/** @param {import('node:child_process').ChildProcess} child */
function stopSandbox(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      killGroup(child.pid);
      resolve(undefined);
    }, 30_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(undefined);
    });
    child.kill('SIGTERM');
  });
}

/**
 * @param {unknown} exportsField
 * @param {string[]} conditions in order of preference
 * @returns {string | undefined} the target for those conditions
 */
function targetFor(exportsField, conditions) {
  if (typeof exportsField === 'string') return exportsField;
  if (Array.isArray(exportsField)) return targetFor(exportsField[0], conditions);
  if (exportsField === null || typeof exportsField !== 'object') return undefined;
  for (const [key, value] of Object.entries(exportsField)) {
    if (key === 'default' || conditions.includes(key)) {
      const target = targetFor(value, conditions);
      if (target !== undefined) return target;
    }
  }
  return undefined;
}

/** @param {Record<string, any>} manifest */
function hasRequireCondition(manifest) {
  return JSON.stringify(manifest.exports ?? {}).includes('"require"');
}

/**
 * attw reads JavaScript entries; the entries that are data (JSON, YAML, the payload files) have no
 * types to check.
 *
 * @param {Record<string, any>} manifest
 */
function attwExclusions(manifest) {
  const data = Object.entries(manifest.exports ?? {})
    .filter(([, value]) => {
      const target = targetFor(value, ['node', 'import']);
      return typeof target === 'string' && !/\.(c|m)?js$/.test(target) && !target.endsWith('/*');
    })
    .map(([key]) => key);
  const wildcards = Object.keys(manifest.exports ?? {}).filter((key) => key.includes('*'));
  const excluded = [...data, ...wildcards.filter((key) => !/\.(c|m)?js$/.test(String(targetFor(manifest.exports[key], ['node', 'import']))))];
  return excluded.length > 0 ? ['--exclude-entrypoints', ...excluded] : [];
}

/**
 * Every specifier a user can import from an installed package (each `exports` key, a `*` pattern
 * expanded over the files it matches), and how to load it: required (a CommonJS target), imported
 * (an ES module), imported as JSON, or read (any other file).
 *
 * @param {Record<string, any>} manifest
 * @param {string} dir the installed package
 * @returns {{ specifier: string, how: 'require' | 'import' | 'import-json' | 'read' }[]}
 */
function entriesOf(manifest, dir) {
  /** @type {{ specifier: string, how: 'require' | 'import' | 'import-json' | 'read' }[]} */
  const result = [];
  const exportsField = manifest.exports ?? (manifest.main ? { '.': manifest.main } : {});
  const map = typeof exportsField === 'string' || Object.keys(exportsField).every((key) => !key.startsWith('.')) ? { '.': exportsField } : exportsField;
  const esmPackage = manifest.type === 'module';
  for (const [key, value] of Object.entries(map)) {
    if (value === null) continue;
    /** @type {string[]} */
    let subpaths = [key];
    if (key.includes('*')) {
      const target = targetFor(value, ['node', 'import']) ?? '';
      const [before, after] = /** @type {[string, string]} */ (target.split('*'));
      const base = path.join(dir, before);
      const folder = before.endsWith('/') ? base : path.dirname(base);
      const prefix = before.endsWith('/') ? '' : path.basename(base);
      /** @type {string[]} */
      const stems = [];
      const walk = (/** @type {string} */ current, /** @type {string} */ relative) => {
        if (!existsSync(current)) return;
        for (const item of readdirSync(current, { withFileTypes: true })) {
          const rel = relative ? `${relative}/${item.name}` : item.name;
          if (item.isDirectory()) walk(path.join(current, item.name), rel);
          else if (rel.startsWith(prefix) && rel.endsWith(after)) stems.push(rel.slice(prefix.length, rel.length - after.length));
        }
      };
      walk(folder, '');
      subpaths = stems.map((stem) => key.replace('*', stem));
      if (subpaths.length === 0) subpaths = [key.replace('*', '__nothing_matches__')];
    }
    for (const subpath of subpaths) {
      const specifier = subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`;
      const forImport = targetFor(value, ['node', 'import']);
      const forRequire = targetFor(value, ['node', 'require']);
      const kind = (/** @type {string | undefined} */ target, /** @type {'import' | 'require'} */ mode) => {
        if (target === undefined) return undefined;
        if (target.endsWith('.json')) return mode === 'require' ? 'require' : 'import-json';
        if (target.endsWith('.cjs') || (target.endsWith('.js') && !esmPackage)) return 'require';
        if (target.endsWith('.mjs') || target.endsWith('.js')) return mode === 'import' ? 'import' : undefined;
        return 'read';
      };
      const ways = new Set([kind(forImport, 'import'), kind(forRequire, 'require')].filter((way) => way !== undefined));
      // An ES module is imported; one that a require condition names is required too.
      for (const how of ways) result.push({ specifier, how: /** @type {'require' | 'import' | 'import-json' | 'read'} */ (how) });
    }
  }
  return result;
}

/** What runs in the temporary project: loads each entry the way entries.json says, from node_modules only. */
function entriesScript() {
  return `// Written by tools/release/check.mjs: loads every entry of the installed packages.
import { readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const project = realpathSync(fileURLToPath(new URL('.', import.meta.url)));
const entries = JSON.parse(readFileSync(new URL('./entries.json', import.meta.url), 'utf8'));
const problems = [];
for (const { name, specifier, how } of entries) {
  try {
    const file = realpathSync(how === 'require' ? require.resolve(specifier) : fileURLToPath(import.meta.resolve(specifier)));
    if (!file.startsWith(project + '/')) throw new Error(\`resolves outside the project, to \${file}\`);
    if (how === 'require') {
      const value = require(specifier);
      if (value === undefined || value === null) throw new Error('require() gave nothing');
    } else if (how === 'import') {
      await import(specifier);
    } else if (how === 'import-json') {
      await import(specifier, { with: { type: 'json' } });
    } else if (readFileSync(file).length === 0) {
      throw new Error('the file is empty');
    }
  } catch (error) {
    problems.push(\`\${specifier} (\${how}, from \${name}): \${error instanceof Error ? error.message : String(error)}\`);
  }
}
if (problems.length > 0) {
  console.log(problems.join('\\n'));
  process.exit(1);
}
`;
}
