import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toCommonJsDeclarations, writeCommonJsTwins } from './declarations.mjs';

const scratch = mkdtempSync(join(tmpdir(), 'cts-declarations-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('toCommonJsDeclarations', () => {
  it('points every relative import and export at the .cjs twin', () => {
    const source = [
      "import type { Client } from './client.js';",
      'export * from "../errors.js";',
      "export { paginate } from './pagination/index.js';",
      "export type Page = import('./page.js').Page;",
    ].join('\n');
    expect(toCommonJsDeclarations(source)).toBe(
      [
        "import type { Client } from './client.cjs';",
        'export * from "../errors.cjs";',
        "export { paginate } from './pagination/index.cjs';",
        "export type Page = import('./page.cjs').Page;",
      ].join('\n'),
    );
  });

  it('leaves package imports and other text alone', () => {
    const source = "import type { paths } from '@reportei-connect/types';\nimport x from 'node:fs';\n/** see './notes.js' */\n";
    expect(toCommonJsDeclarations(source)).toBe(source);
  });
});

describe('writeCommonJsTwins', () => {
  it('writes a twin beside every .d.ts, in subfolders too, and counts them', async () => {
    mkdirSync(join(scratch, 'dist', 'generated'), { recursive: true });
    writeFileSync(join(scratch, 'dist', 'index.d.ts'), "export * from './generated/schema.js';\n");
    writeFileSync(join(scratch, 'dist', 'generated', 'schema.d.ts'), 'export interface paths {}\n');
    writeFileSync(join(scratch, 'dist', 'index.js'), 'export {};\n');
    expect(await writeCommonJsTwins(join(scratch, 'dist'))).toBe(2);
    expect(readFileSync(join(scratch, 'dist', 'index.d.cts'), 'utf8')).toBe("export * from './generated/schema.cjs';\n");
    expect(readFileSync(join(scratch, 'dist', 'generated', 'schema.d.cts'), 'utf8')).toBe('export interface paths {}\n');
  });
});
