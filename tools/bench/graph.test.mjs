// The pipeline's graph, checked the way turbo computes it: a dry run (`turbo run build --dry=json`) on a
// throw-away copy of the workspace, before and after editing one generator. A generator reaches the
// packages it builds only through their declared dependency on its package (its bin or its export),
// so the edit must change the build hash of exactly those packages and of what depends on them, and of
// nothing else. The copy keeps the working tree untouched (other work may be building in it).
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './packages.mjs';

const TURBO = join(ROOT, 'node_modules', '.bin', 'turbo');
const ENV = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', NO_COLOR: '1' };

/** @typedef {{ taskId: string, package: string, directory: string, hash: string }} DryTask */

/** @type {string} */
let copy;
/** @type {Map<string, string>} build task hashes of the unedited copy */
let baseline;
/** @type {DryTask[]} */
let tasks;

/** The build tasks of a dry run in `root`, by task id. @param {string} root */
function dryRun(root) {
  const output = execFileSync(TURBO, ['run', 'build', '--dry=json'], { cwd: root, env: ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  return /** @type {{ tasks: DryTask[] }} */ (JSON.parse(output)).tasks;
}

/** @param {DryTask[]} list */
const hashes = (list) => new Map(list.map((task) => [task.taskId, task.hash]));

/**
 * The build tasks whose hash an edit changes: appends `text` to `file` in the copy (creating it if need
 * be), runs turbo, then puts the file back as it was.
 * @param {string} file relative to the repository
 * @param {string} text
 */
function changedBy(file, text) {
  const path = join(copy, file);
  const original = existsSync(path) ? readFileSync(path) : undefined;
  appendFileSync(path, text);
  try {
    const after = hashes(dryRun(copy));
    return [...after].filter(([id, hash]) => baseline.get(id) !== hash).map(([id]) => id).sort();
  } finally {
    if (original === undefined) rmSync(path);
    else writeFileSync(path, original);
  }
}

/**
 * The workspace packages whose build a package's build waits for: the `#build` tasks its turbo.json lists
 * under `build.dependsOn` (a build that reads only some of its dependencies, so that a change elsewhere
 * does not rebuild it), or else every workspace package in its package.json dependency fields (turbo's
 * `^build`).
 * @param {DryTask} task
 */
function buildReads(task) {
  const turboJson = join(copy, task.directory, 'turbo.json');
  const listed = existsSync(turboJson) ? JSON.parse(readFileSync(turboJson, 'utf8')).tasks?.build?.dependsOn : undefined;
  if (listed) return /** @type {string[]} */ (listed).map((id) => id.replace(/#build$/, ''));
  const manifest = JSON.parse(readFileSync(join(copy, task.directory, 'package.json'), 'utf8'));
  return ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'].flatMap((field) => Object.keys(manifest[field] ?? {}));
}

/**
 * The build tasks of a package and of every package whose build reads it, directly or not: what an
 * edit of that package must rebuild.
 * @param {string} name
 */
function expectedFor(name) {
  /** @type {Map<string, string[]>} package -> the workspace packages its build waits for */
  const dependsOn = new Map(tasks.map((task) => [task.package, buildReads(task)]));
  const reached = new Set([name]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pkg, names] of dependsOn) {
      if (!reached.has(pkg) && names.some((dependency) => reached.has(dependency))) {
        reached.add(pkg);
        grew = true;
      }
    }
  }
  return tasks.filter((task) => reached.has(task.package)).map((task) => task.taskId).sort();
}

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'bench-graph-'));
  // The files git would commit, as they are now: tracked and untracked, not ignored.
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).split('\0');
  for (const file of files) {
    const from = join(ROOT, file);
    if (!file || !existsSync(from) || !statSync(from).isFile()) continue;
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(from, join(copy, file));
  }
  tasks = dryRun(copy);
  baseline = hashes(tasks);
}, 120_000);

afterAll(() => copy && rmSync(copy, { recursive: true, force: true }));

describe('turbo run build --dry=json on a copy of the workspace', () => {
  it('builds each package after the generators it uses, through its declared dependency', () => {
    const dependenciesOf = (/** @type {string} */ id) => /** @type {{ dependencies: string[] }} */ (/** @type {unknown} */ (tasks.find((task) => task.taskId === id))).dependencies;
    expect(dependenciesOf('@reportei-connect/client#build')).toEqual(expect.arrayContaining(['@reportei-connect/codegen-client#build', '@reportei-connect/codegen-webhook-validator#build']));
    expect(dependenciesOf('@reportei-connect/types#build')).toContain('@reportei-connect/codegen-types#build');
    expect(dependenciesOf('@reportei-connect/metrics#build')).toContain('@reportei-connect/codegen-metrics#build');
    expect(dependenciesOf('@reportei-connect/docs#build')).toContain('@reportei-connect/codegen-samples#build');
  });

  it('an edit of codegen-client changes the build hash of the client and what depends on it, not of types or the other generators', () => {
    const changed = changedBy('tools/codegen-client/generate.mjs', '\n// edited by graph.test.mjs\n');
    expect(changed).toEqual(expectedFor('@reportei-connect/codegen-client'));
    expect(changed).toEqual(expect.arrayContaining(['@reportei-connect/client#build', '@reportei-connect/codegen-samples#build', '@reportei-connect/docs#build']));
    // The hooks' build reads only their own sources (isolated declarations), not the client's build.
    for (const id of ['@reportei-connect/react-query#build', '@reportei-connect/rate-limit-redis#build', '@reportei-connect/types#build', '@reportei-connect/openapi#build', '@reportei-connect/spec-model#build', '@reportei-connect/codegen-core#build', '@reportei-connect/codegen-metrics#build', '@reportei-connect/codegen-types#build']) {
      expect(changed).not.toContain(id);
    }
  });

  it("an edit of codegen-metrics changes the metrics' build hash and its dependents', not the client's or the types'", () => {
    const changed = changedBy('tools/codegen-metrics/display-names.mjs', '\n// edited by graph.test.mjs\n');
    expect(changed).toEqual(expectedFor('@reportei-connect/codegen-metrics'));
    expect(changed).toContain('@reportei-connect/metrics#build');
    for (const id of ['@reportei-connect/client#build', '@reportei-connect/types#build', '@reportei-connect/docs#build', '@reportei-connect/react-query#build', '@reportei-connect/codegen-client#build']) {
      expect(changed).not.toContain(id);
    }
  });

  it('an edit of codegen-core reaches every generator and everything they build', () => {
    const changed = changedBy('tools/codegen-core/literal.mjs', '\n// edited by graph.test.mjs\n');
    expect(changed).toEqual(expectedFor('@reportei-connect/codegen-core'));
    expect(changed).toEqual(expect.arrayContaining(['@reportei-connect/client#build', '@reportei-connect/types#build', '@reportei-connect/metrics#build', '@reportei-connect/docs#build']));
    expect(changed).not.toContain('@reportei-connect/openapi#build');
  });

  it('an edit of the sandbox rebuilds no published package: the CLI, the MCP server and the Redis store only test against it', () => {
    const changed = changedBy('packages/sandbox/src/spec.ts', '\n// edited by graph.test.mjs\n');
    expect(changed).toEqual(expectedFor('@reportei-connect/sandbox'));
    expect(changed).toContain('@reportei-connect/sandbox#build');
    for (const id of ['@reportei-connect/cli#build', '@reportei-connect/mcp#build', '@reportei-connect/rate-limit-redis#build', '@reportei-connect/metrics#build']) {
      expect(changed).not.toContain(id);
    }
  });

  it("a generator's README rebuilds nothing", () => {
    expect(changedBy('tools/codegen-client/README.md', '\nedited by graph.test.mjs\n')).toEqual([]);
  });
});

describe('turbo run lint build test --dry=json in the workspace itself', () => {
  it('hashes no file that installs, builds or tests write (node_modules, dist, *.tsbuildinfo, test-output, the .turbo logs), so that a second run is served from the cache', () => {
    const output = execFileSync(TURBO, ['run', 'lint', 'build', 'test', '--dry=json'], { cwd: ROOT, env: ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
    const { tasks: all } = /** @type {{ tasks: (DryTask & { inputs: Record<string, string> })[] }} */ (JSON.parse(output));
    const written = all.flatMap((task) => Object.keys(task.inputs).filter((file) => /(^|\/)(node_modules|dist|test-output|\.turbo)\/|\.tsbuildinfo$/.test(file)).map((file) => `${task.taskId}: ${file}`));
    // What a task itself writes there changes its own hash for the next run (typecheck's tsbuildinfo did).
    expect(written.slice(0, 10)).toEqual([]);
  });
});
