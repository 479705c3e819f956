// What is published is deliberate (RELEASING.md's table), and each published package's package.json
// says what npm, its users and provenance need.

import { describe, expect, it } from 'vitest';
import { metadataProblems, publishedPackages, releasingTableProblems, workspacePackages } from '../workspace.mjs';
import { scratchWorkspaces } from './scratch-workspace.mjs';

describe('the published packages', () => {
  it('are the ones RELEASING.md lists as published, and only those', () => {
    expect(releasingTableProblems()).toEqual([]);
    expect(publishedPackages().map((pkg) => pkg.name).sort()).toEqual([
      '@reportei-connect/cli',
      '@reportei-connect/client',
      '@reportei-connect/mcp',
      '@reportei-connect/metrics',
      '@reportei-connect/mock',
      '@reportei-connect/openapi',
      '@reportei-connect/rate-limit-redis',
      '@reportei-connect/react-query',
      '@reportei-connect/sandbox',
      '@reportei-connect/spec-model',
      '@reportei-connect/types',
    ]);
  });

  it('have a licence, repository, homepage, bugs, keywords, engines, publishConfig and dependency ranges the tests cover', () => {
    expect(metadataProblems()).toEqual([]);
  });
});

describe('the rules', () => {
  const workspace = scratchWorkspaces();

  /**
   * A workspace of one published package, whose package.json is `manifest`.
   *
   * @param {Record<string, unknown>} manifest
   */
  const workspaceWith = (manifest) =>
    workspace({
      'package.json': JSON.stringify({ private: true, engines: { node: '>=20.19' }, repository: { type: 'git', url: 'git+https://github.com/o/r.git' } }),
      'packages/a/node_modules/dep/package.json': JSON.stringify({ name: 'dep', version: '1.2.3' }),
      'packages/a/LICENSE': 'x',
      'packages/a/README.md': 'x',
      'packages/a/package.json': JSON.stringify({ name: 'a', ...manifest }),
    });
  const good = {
    license: 'MIT',
    files: ['dist'],
    repository: { type: 'git', url: 'git+https://github.com/o/r.git', directory: 'packages/a' },
    homepage: 'https://github.com/o/r/tree/main/packages/a#readme',
    bugs: { url: 'https://github.com/o/r/issues' },
    keywords: ['a'],
    engines: { node: '>=20.19' },
    publishConfig: { access: 'public', provenance: true },
    dependencies: { dep: '^1.2.3' },
  };

  it('accept a package that follows them', () => {
    expect(metadataProblems(workspaceWith(good))).toEqual([]);
    expect(workspacePackages(workspaceWith(good)).map((pkg) => pkg.dir)).toEqual(['packages/a']);
  });

  it('refuse an exact dependency, a range above what the tests install, and missing fields', () => {
    const problems = (/** @type {Record<string, unknown>} */ manifest) => metadataProblems(workspaceWith({ ...good, ...manifest })).join('\n');
    expect(problems({ dependencies: { dep: '1.2.3' } })).toContain('"dep": "1.2.3" must be a range, ^<version> or ~<version> (an exact version makes users carry a second copy of it)');
    expect(problems({ dependencies: { dep: '^1.3.0' } })).toContain('starts below or above what the tests run against (1.2.3): make it ^1.2.3');
    expect(problems({ publishConfig: { access: 'public' } })).toContain('"publishConfig" must be { "access": "public", "provenance": true }');
    expect(problems({ repository: { type: 'git', url: 'git+https://github.com/o/r.git' } })).toContain('"repository" must be');
    expect(problems({ keywords: [] })).toContain('"keywords" must be a non-empty list of words');
    expect(problems({ license: 'ISC' })).toContain('"license" must be "MIT"');
  });
});
