// Every package declares what its code imports: a missing declaration otherwise shows up only when a
// fresh clone builds the packages in another order (as @reportei-connect/codegen-types once did).

import { describe, expect, it } from 'vitest';
import { packageOf, undeclaredImports } from '../imports.mjs';
import { scratchWorkspaces } from './scratch-workspace.mjs';

describe('the workspace', () => {
  it('declares every package its code imports', () => {
    expect(undeclaredImports()).toEqual([]);
  });
});

describe('the import check', () => {
  const workspace = scratchWorkspaces();

  /**
   * A workspace with one package `a` that declares `dependencies` and holds `files` (path in the package, to text).
   *
   * @param {Record<string, string>} dependencies
   * @param {Record<string, string>} files
   */
  const workspaceWith = (dependencies, files) =>
    workspace({
      'packages/a/package.json': JSON.stringify({ name: '@x/a', dependencies }),
      ...Object.fromEntries(Object.entries(files).map(([file, text]) => [`packages/a/${file}`, text])),
    });

  it('finds imports in code, in types and in JSDoc, and names the file and the missing package', () => {
    const root = workspaceWith(
      { declared: '^1.0.0' },
      {
        'src/index.ts': "import { a } from 'declared';\nimport type { B } from '@scope/types-only/deep';\nexport * from 'reexported';\n",
        'lib/tool.mjs':
          "/** @typedef {import('@scope/jsdoc').Thing} Thing */\n" +
          "const lazy = await import('dynamic');\n" +
          "const where = import.meta.resolve('resolved/package.json');\n" +
          "const old = require('required');\n",
      },
    );
    const problems = undeclaredImports(root);
    expect(problems.map((line) => line.split(',')[0])).toEqual([
      'packages/a/lib/tool.mjs imports @scope/jsdoc',
      'packages/a/lib/tool.mjs imports dynamic',
      'packages/a/lib/tool.mjs imports resolved',
      'packages/a/lib/tool.mjs imports required',
      'packages/a/src/index.ts imports @scope/types-only',
      'packages/a/src/index.ts imports reexported',
    ]);
    expect(problems[0]).toContain('which packages/a/package.json does not declare: add it to dependencies');
  });

  it('ignores built-in modules, relative paths, the package itself, installed and built folders, and imports written inside strings or comments', () => {
    const root = workspaceWith(
      {},
      {
        'src/index.ts':
          "import fs from 'node:fs';\nimport path from 'path';\nimport { b } from './b.js';\nimport self from '@x/a/package.json';\n" +
          "// import x from 'commented';\nconst sample = \"import { y } from 'in-a-string';\";\n",
        'dist/index.js': "import z from 'built-output';\n",
        'node_modules/dep/index.js': "import w from 'installed';\n",
      },
    );
    expect(undeclaredImports(root)).toEqual([]);
  });

  it('reads the package out of a specifier', () => {
    expect(packageOf('@scope/name/sub/path.js')).toBe('@scope/name');
    expect(packageOf('name/sub')).toBe('name');
    expect(packageOf('node:fs')).toBeUndefined();
    expect(packageOf('fs/promises')).toBeUndefined();
    expect(packageOf('../x.js')).toBeUndefined();
    expect(packageOf('https://example.test/x.js')).toBeUndefined();
  });
});
