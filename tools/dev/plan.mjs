// @ts-check
// What `pnpm dev` rebuilds when the spec changes, read from the packages' own build scripts so that
// there is one definition of each build: the packages whose build runs a code generator on the bundled
// spec (`connect-codegen-<name> <spec> <out> [--option value]...`). Their generators run in this
// process, kept warm between edits; the rest of each build script (tsup, declarations) runs as the
// script says, in a shell in the package's folder.

/** @typedef {import('@reportei-connect/release/workspace').WorkspacePackage} WorkspacePackage */

/**
 * @typedef {object} GeneratorStep
 * @property {'generator'} kind
 * @property {string} bin        `connect-codegen-types`
 * @property {string} specifier  as the script names the spec
 * @property {string} out        relative to the package
 * @property {Record<string, string>} options
 *
 * @typedef {object} ShellStep
 * @property {'shell'} kind
 * @property {string} command    run with `sh -c` in the package's folder
 *
 * @typedef {object} PackageBuild
 * @property {string} name
 * @property {string} dir        absolute
 * @property {(GeneratorStep | ShellStep)[]} steps
 * @property {string[]} after   the other builds of this list whose packages it imports (its dependencies
 *   and peer dependencies, not the devDependencies of its tests): they must finish first
 */

const GENERATOR_BIN = /^connect-codegen-[a-z0-9-]+$/;
/** Characters that would make a generator command more than plain words for the shell. */
const SHELL_SYNTAX = /[|;&<>$`'"\\(){}*?]/;

/**
 * Splits a build script on `&&` into steps: each generator command becomes a step run in-process, and
 * consecutive other commands one shell step.
 * @param {string} script
 * @returns {(GeneratorStep | ShellStep)[]}
 */
export function buildSteps(script) {
  /** @type {(GeneratorStep | ShellStep)[]} */
  const steps = [];
  for (const command of script.split('&&').map((part) => part.trim())) {
    const words = command.split(/\s+/);
    const [bin = '', specifier, out, ...rest] = words;
    if (GENERATOR_BIN.test(bin) && !SHELL_SYNTAX.test(command) && specifier && out && rest.length % 2 === 0 && rest.every((word, i) => (i % 2 === 0) === word.startsWith('--'))) {
      const options = Object.fromEntries(rest.flatMap((word, i) => (i % 2 === 0 ? [[word.slice(2), rest[i + 1] ?? '']] : [])));
      steps.push({ kind: 'generator', bin, specifier, out, options });
      continue;
    }
    const last = steps.at(-1);
    if (last?.kind === 'shell') last.command = `${last.command} && ${command}`;
    else steps.push({ kind: 'shell', command });
  }
  return steps;
}

/**
 * The packages whose build generates code from the spec, with their steps, in the workspace's order.
 * @param {WorkspacePackage[]} packages
 * @returns {PackageBuild[]}
 */
export function specBuilds(packages) {
  const builds = packages.flatMap((pkg) => {
    const script = pkg.manifest.scripts?.build;
    if (typeof script !== 'string') return [];
    const steps = buildSteps(script);
    return steps.some((step) => step.kind === 'generator') ? [{ pkg, steps }] : [];
  });
  const names = new Set(builds.map(({ pkg }) => pkg.name));
  return builds.map(({ pkg, steps }) => ({
    name: pkg.name,
    dir: pkg.absDir,
    steps,
    after: Object.keys({ ...pkg.manifest.dependencies, ...pkg.manifest.peerDependencies }).filter((name) => names.has(name)),
  }));
}

/**
 * Which workspace package provides each generator bin, for importing its `generator`.
 * @param {WorkspacePackage[]} packages
 * @returns {Map<string, string>} bin → package name
 */
export function generatorPackages(packages) {
  return new Map(packages.flatMap((pkg) => Object.keys(pkg.manifest.bin ?? {}).filter((bin) => GENERATOR_BIN.test(bin)).map((bin) => [bin, pkg.name])));
}
