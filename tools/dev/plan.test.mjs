import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { workspacePackages } from '@reportei-connect/release/workspace';
import { buildSteps, generatorPackages, specBuilds } from './plan.mjs';

describe('buildSteps', () => {
  it('runs each generator command in-process and the other commands, joined, in a shell', () => {
    expect(buildSteps('connect-codegen-client @x/openapi/openapi.json src/generated/ops.ts && connect-codegen-metrics ./spec.json src/generated --payloads ../data && tsup && connect-tsc -p tsconfig.build.json')).toEqual([
      { kind: 'generator', bin: 'connect-codegen-client', specifier: '@x/openapi/openapi.json', out: 'src/generated/ops.ts', options: {} },
      { kind: 'generator', bin: 'connect-codegen-metrics', specifier: './spec.json', out: 'src/generated', options: { payloads: '../data' } },
      { kind: 'shell', command: 'tsup && connect-tsc -p tsconfig.build.json' },
    ]);
  });

  it('leaves to the shell a generator command it could not run exactly as the shell would', () => {
    expect(buildSteps('connect-codegen-types "$SPEC" out.ts')).toEqual([{ kind: 'shell', command: 'connect-codegen-types "$SPEC" out.ts' }]);
    expect(buildSteps('connect-codegen-types spec.json out.ts --flag')).toEqual([{ kind: 'shell', command: 'connect-codegen-types spec.json out.ts --flag' }]);
    expect(buildSteps('tsup')).toEqual([{ kind: 'shell', command: 'tsup' }]);
  });
});

describe('the workspace, as pnpm dev reads it', () => {
  const packages = workspacePackages();

  it('rebuilds the packages whose build generates code from the spec, each after the ones it imports', () => {
    const builds = specBuilds(packages);
    expect(builds.map(({ name, after }) => [name, after])).toEqual([
      ['@reportei-connect/cli', ['@reportei-connect/client', '@reportei-connect/metrics']],
      ['@reportei-connect/client', ['@reportei-connect/types']],
      ['@reportei-connect/mcp', ['@reportei-connect/client', '@reportei-connect/metrics']],
      ['@reportei-connect/metrics', ['@reportei-connect/types']],
      ['@reportei-connect/types', []],
    ]);
    for (const build of builds) expect(build.steps.at(-1)?.kind, build.name).toBe('shell');
  });

  it('finds the package of every generator a build script runs, a dependency of pnpm dev that it can load', async () => {
    const bins = generatorPackages(packages);
    const { dependencies } = JSON.parse(readFileSync(new URL('package.json', import.meta.url), 'utf8'));
    for (const step of specBuilds(packages).flatMap((build) => build.steps)) {
      if (step.kind !== 'generator') continue;
      const name = bins.get(step.bin);
      expect(name, step.bin).toMatch(/^@reportei-connect\/codegen-/);
      // pnpm dev imports it by name: undeclared, it is not linked into tools/dev and pnpm dev fails to start.
      expect(Object.keys(dependencies), `tools/dev/package.json dependencies`).toContain(name);
      expect(typeof (await import(/** @type {string} */ (name))).generator?.generate, name).toBe('function');
    }
  });
});
