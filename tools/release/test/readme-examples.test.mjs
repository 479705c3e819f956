import { describe, expect, it } from 'vitest';
import { extractExamples, importedPackages } from '../readme-examples.mjs';

describe('extractExamples', () => {
  const readme = [
    '# A package', // 1
    '', // 2
    '```sh', // 3
    'npm install it', // 4
    '```', // 5
    '', // 6
    '```ts', // 7
    "import { a } from 'a';", // 8
    '```', // 9
    '', // 10
    '````tsx', // 11
    'const b = <div>```</div>;', // 12
    '````', // 13
    '```typescript', // 14
    'export {};', // 15
    '```', // 16
    '```js', // 17
    'not typescript', // 18
    '```', // 19
  ].join('\n');

  it('takes the ts, typescript and tsx blocks as written, with the line of their first line of code', () => {
    expect(extractExamples(readme, 'README.md')).toEqual([
      { readme: 'README.md', index: 1, line: 8, lang: 'ts', code: "import { a } from 'a';\n" },
      { readme: 'README.md', index: 2, line: 12, lang: 'tsx', code: 'const b = <div>```</div>;\n' },
      { readme: 'README.md', index: 3, line: 15, lang: 'ts', code: 'export {};\n' },
    ]);
  });

  it('fails on a block that is never closed', () => {
    expect(() => extractExamples('```ts\nconst a = 1;\n', 'X.md')).toThrow('X.md: the code block opened on line 1 is never closed');
  });
});

describe('importedPackages', () => {
  it('names the packages a block imports, without relative paths or Node built-ins', () => {
    const code = [
      "import { createRoot } from 'react-dom/client';",
      "import type { paths } from '@reportei-connect/types';",
      "import { x } from '@scope/name/sub/path';",
      "import './local.js';",
      "import fs from 'node:fs';",
      "import path from 'path';",
      "const lazy = await import('lazy-package');",
      "export { y } from 'reexported';",
    ].join('\n');
    expect(importedPackages(code)).toEqual(['@reportei-connect/types', '@scope/name', 'lazy-package', 'react-dom', 'reexported']);
  });
});
