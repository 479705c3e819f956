// @ts-check
// The GitHub Actions workflows cannot run here, so they are checked: each against the workflow schema
// (action-validator, offline), and each for what it must do, with the same scripts people run locally.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parse } from 'yaml';
import { ROOT, readJson } from './workspace.mjs';

const require = createRequire(import.meta.url);
/** @type {{ validateWorkflow(source: string): { errors: ValidatorError[] } }} */
const actionValidator = require('@action-validator/core');

/**
 * @typedef {object} ValidatorError
 * @property {string} code
 * @property {string} path
 * @property {string} title
 * @property {string} [detail]
 * @property {{ errors: ValidatorError[] }[]} [states]
 */

/** pnpm's own commands, which are not scripts of package.json. */
const PNPM_COMMANDS = new Set(['install', 'i', 'add', 'exec', 'dlx', 'publish', 'pack', 'run', 'store', '--filter', '-r', '-s']);

/**
 * The schema's complaints about one workflow's text, one line each (a `oneOf` that no branch
 * satisfies reports its branches' errors).
 *
 * @param {string} source
 * @returns {string[]}
 */
export function schemaProblems(source) {
  const { errors } = actionValidator.validateWorkflow(source);
  /** @type {string[]} */
  const lines = [];
  /** @param {ValidatorError[]} list @param {string} indent */
  const walk = (list, indent) => {
    for (const error of list) {
      lines.push(`${indent}${error.path || '/'}: ${error.title}${error.detail ? ` (${error.detail})` : ''}`);
      for (const [index, state] of (error.states ?? []).entries()) {
        lines.push(`${indent}  branch ${index + 1}:`);
        walk(state.errors, `${indent}    `);
      }
    }
  };
  walk(errors, '');
  return lines;
}

/**
 * @typedef {object} Step
 * @property {string} [uses]
 * @property {string} [run]
 * @property {Record<string, unknown>} [with]
 * @property {Record<string, unknown>} [env]
 */

/**
 * @param {any} workflow
 * @returns {Step[]}
 */
const stepsOf = (workflow) => Object.values(workflow?.jobs ?? {}).flatMap((job) => /** @type {Step[]} */ (job?.steps ?? []));

/**
 * @param {string} [root]
 * @returns {Record<string, { file: string, source: string, workflow: any }>} by file name
 */
export function readWorkflows(root = ROOT) {
  const dir = path.join(root, '.github/workflows');
  /** @type {Record<string, { file: string, source: string, workflow: any }>} */
  const workflows = {};
  for (const name of existsSync(dir) ? readdirSync(dir).sort() : []) {
    if (!/\.ya?ml$/.test(name)) continue;
    const file = path.join(dir, name);
    const source = readFileSync(file, 'utf8');
    workflows[name] = { file, source, workflow: parse(source) };
  }
  return workflows;
}

/**
 * Every problem with the workflows: the schema's, then what each of ci.yml, release.yml and docs.yml
 * must do, then any `pnpm <script>` that package.json does not define and any action not pinned to a
 * version.
 *
 * @param {string} [root]
 * @returns {string[]}
 */
export function workflowProblems(root = ROOT) {
  const problems = [];
  const workflows = readWorkflows(root);
  const scripts = readJson(path.join(root, 'package.json')).scripts ?? {};

  for (const [name, { source, workflow }] of Object.entries(workflows)) {
    for (const line of schemaProblems(source)) problems.push(`${name}: ${line}`);
    for (const step of stepsOf(workflow)) {
      if (step.uses !== undefined && !/^[\w.-]+\/[\w./-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/.test(step.uses)) {
        problems.push(`${name}: "uses: ${step.uses}" must name a released version (@vN) or a commit`);
      }
      for (const match of (step.run ?? '').matchAll(/(?:^|[\s;&|(])pnpm\s+([\w:-]+)/g)) {
        const script = /** @type {string} */ (match[1]);
        if (!PNPM_COMMANDS.has(script) && !(script in scripts)) problems.push(`${name}: runs "pnpm ${script}", which package.json does not define`);
      }
    }
  }

  const ci = workflows['ci.yml']?.workflow;
  if (ci === undefined) problems.push('.github/workflows/ci.yml is missing');
  else {
    const triggers = typeof ci.on === 'string' ? [ci.on] : Array.isArray(ci.on) ? ci.on : Object.keys(ci.on ?? {});
    for (const event of ['push', 'pull_request']) if (!triggers.includes(event)) problems.push(`ci.yml: must run on ${event}`);
    const job = Object.values(ci.jobs ?? {}).find((candidate) => candidate?.strategy?.matrix?.node);
    const nodes = job?.strategy?.matrix?.node;
    if (JSON.stringify(nodes) !== JSON.stringify([20, 22, 24])) problems.push(`ci.yml: a job must run on Node [20, 22, 24] (strategy.matrix.node), got ${JSON.stringify(nodes)}`);
    const steps = /** @type {Step[]} */ (job?.steps ?? []);
    const setupNode = steps.find((step) => step.uses?.startsWith('actions/setup-node@'));
    if (setupNode?.with?.['node-version'] !== '${{ matrix.node }}') problems.push('ci.yml: actions/setup-node must use node-version ${{ matrix.node }}');
    // .ci/run reads the README's two Quick start lines (nothing restated here), then runs the release check.
    if (!steps.some((step) => /(^|\s)bash \.ci\/run(\s|$)/.test(step.run ?? ''))) problems.push('ci.yml: must run `bash .ci/run` (the Quick start commands, then pnpm release:check)');
    const checkout = steps.find((step) => step.uses?.startsWith('actions/checkout@'));
    if (!(Number(checkout?.with?.['fetch-depth']) >= 2)) problems.push('ci.yml: actions/checkout needs fetch-depth 2 or more, for `pnpm spec:diff HEAD~1`');
    if (!job?.env?.CHROMIUM_PATH && !steps.some((step) => /chromium|CHROMIUM_PATH/.test(step.run ?? ''))) {
      problems.push("ci.yml: the docs site's browser test needs Chromium: set CHROMIUM_PATH or install it");
    }
  }

  const release = workflows['release.yml']?.workflow;
  if (release === undefined) problems.push('.github/workflows/release.yml is missing');
  else {
    const action = stepsOf(release).find((step) => step.uses?.startsWith('changesets/action@'));
    if (action === undefined) problems.push('release.yml: must use changesets/action');
    else {
      if (action.with?.version !== 'pnpm version-packages') problems.push('release.yml: changesets/action must version with `pnpm version-packages`');
      if (action.with?.publish !== 'pnpm release') problems.push('release.yml: changesets/action must publish with `pnpm release`');
    }
    const job = Object.values(release.jobs ?? {}).find((candidate) => (candidate?.steps ?? []).includes(action));
    const permissions = job?.permissions ?? release.permissions;
    if (permissions?.['id-token'] !== 'write') problems.push('release.yml: the publishing job needs permissions id-token: write (npm provenance)');
    if (!/registry\.npmjs\.org/.test(workflows['release.yml']?.source ?? '')) problems.push('release.yml: actions/setup-node must set registry-url https://registry.npmjs.org');
  }

  const docs = workflows['docs.yml'];
  if (docs === undefined) problems.push('.github/workflows/docs.yml is missing');
  else {
    const steps = stepsOf(docs.workflow);
    const upload = steps.find((step) => step.uses?.startsWith('actions/upload-pages-artifact@'));
    if (upload?.with?.path !== 'packages/docs/dist') problems.push('docs.yml: must upload packages/docs/dist with actions/upload-pages-artifact');
    if (!steps.some((step) => step.uses?.startsWith('actions/deploy-pages@'))) problems.push('docs.yml: must deploy with actions/deploy-pages');
    if (!steps.some((step) => /pnpm docs:build --base /.test(step.run ?? ''))) problems.push('docs.yml: must build the site for its sub-path with `pnpm docs:build --base ...`');
  }

  const ciRun = readFileSync(path.join(root, '.ci/run'), 'utf8');
  const quickStart = ciRun.indexOf('for line in "${quick_start[@]}"');
  const releaseCheck = ciRun.search(/^\s*pnpm release:check\b/m);
  if (quickStart === -1 || releaseCheck === -1 || releaseCheck < quickStart) problems.push('.ci/run: must run `pnpm release:check` after the Quick start lines');
  return problems;
}

/**
 * What the Changesets setup must hold: the config, the root scripts and the CLI.
 *
 * @param {string} [root]
 * @returns {string[]}
 */
export function changesetProblems(root = ROOT) {
  const problems = [];
  const manifest = readJson(path.join(root, 'package.json'));
  const configFile = path.join(root, '.changeset/config.json');
  if (!existsSync(configFile)) return ['.changeset/config.json is missing: run `pnpm changeset init`'];
  const config = readJson(configFile);
  if (config.access !== 'public') problems.push('.changeset/config.json: "access" must be "public"');
  if (config.privatePackages?.version !== false) problems.push('.changeset/config.json: private packages are never versioned ("privatePackages": { "version": false })');
  if (config.changelog === false) problems.push('.changeset/config.json: "changelog" must write CHANGELOG.md files');
  const cli = manifest.devDependencies?.['@changesets/cli'];
  if (!/^\d+\.\d+\.\d+$/.test(cli ?? '') || !cli.startsWith('2.')) problems.push(`package.json: @changesets/cli must be an exact 2.x version (3.x needs Node 22), got ${JSON.stringify(cli)}`);
  const scripts = manifest.scripts ?? {};
  if (scripts.changeset !== 'changeset') problems.push('package.json: the "changeset" script must be `changeset`');
  if (!/^changeset version\b/.test(scripts['version-packages'] ?? '')) problems.push('package.json: the "version-packages" script must run `changeset version`');
  const release = scripts.release ?? '';
  for (const part of ['pnpm build', 'pnpm test', 'pnpm release:check', 'pnpm publish -r', 'changeset tag']) {
    if (!release.includes(part)) problems.push(`package.json: the "release" script must run \`${part}\``);
  }
  if (!/ --provenance\b/.test(release)) problems.push('package.json: the "release" script must publish with --provenance');
  if (scripts['release:check'] === undefined) problems.push('package.json: the "release:check" script is missing');
  return problems;
}
