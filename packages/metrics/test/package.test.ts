import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type * as TypeScript from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { integrations } from '../src/index.js';
import { consumerProject, requireFromPackage } from './load.js';

// By require: imported as ESM, TypeScript's 9 MB of CommonJS is first scanned for exports (0.5 CPU-s).
const ts: typeof TypeScript = createRequire(import.meta.url)('typescript');

const project = consumerProject();
afterAll(() => rmSync(project, { recursive: true, force: true }));

describe('the built package', () => {
  it('serves every integration at its own subpath, as ESM and as CommonJS', async () => {
    for (const { slug, referenceKeys } of integrations) {
      const specifier = `@reportei-connect/metrics/${slug}`;
      const esm = (await import(pathToFileURL(requireFromPackage.resolve(specifier)).href)) as Record<string, { referenceKeys: string[] }>;
      const cjs = requireFromPackage(specifier) as Record<string, { referenceKeys: string[] }>;
      expect(esm[slug]?.referenceKeys, specifier).toEqual(referenceKeys);
      expect(cjs[slug]?.referenceKeys, specifier).toEqual(referenceKeys);
    }
  });

  it('serves the root entry as ESM and as CommonJS', async () => {
    const esm = (await import(pathToFileURL(requireFromPackage.resolve('@reportei-connect/metrics')).href)) as typeof import('../src/index.js');
    const cjs = requireFromPackage('@reportei-connect/metrics') as typeof import('../src/index.js');
    expect(esm.metric('ig:reach', { id: 'reach' }).component).toBe('number_v1');
    expect(cjs.metric('ig:reach', { id: 'reach' }).component).toBe('number_v1');
    expect(cjs.referenceKeys).toHaveLength(1667);
  });
});

describe('the published types', () => {
  it('resolve for node16 consumers, from ESM and from CommonJS, at the root and every subpath', () => {
    const source = [
      "import { metric, integrations } from '@reportei-connect/metrics';",
      ...integrations.map(({ slug }) => `import { ${slug} } from '@reportei-connect/metrics/${slug}';`),
      "export const component: 'number_v1' = metric('ig:reach', { id: 'reach' }).component;",
      "export const id: 'reach' = instagram_business.metric('ig:reach', { id: 'reach' }).id;",
      `export const slugs: string[] = [${integrations.map(({ slug }) => `${slug}.slug`).join(', ')}];`,
      'export const count: 27 = integrations.length;',
    ].join('\n');
    const files = ['consumer.mts', 'consumer.cts'].map((file) => join(project, file));
    for (const file of files) writeFileSync(file, source);
    const program = ts.createProgram(files, {
      module: ts.ModuleKind.Node16,
      moduleResolution: ts.ModuleResolutionKind.Node16,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2022.d.ts'],
      types: [],
      strict: true,
      noEmit: true,
    });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    expect(diagnostics).toEqual([]);
  });
});

describe('tree shaking', () => {
  /** Bundles `source` as an app would (ESM, minified) and returns its minified and gzipped sizes. */
  async function bundle(name: string, source: string) {
    const entry = join(project, `${name}.mjs`);
    writeFileSync(entry, source);
    const result = await build({ entryPoints: [entry], bundle: true, minify: true, format: 'esm', platform: 'browser', write: false, logLevel: 'error' });
    const text = result.outputFiles[0]?.text ?? '';
    return { text, bytes: Buffer.byteLength(text), gzipBytes: gzipSync(text).length };
  }

  it("bundles only one integration's data when only its subpath is imported", async () => {
    const whole = await bundle(
      'whole',
      "import { integrations, metric } from '@reportei-connect/metrics';\nconsole.log(integrations, metric('ig:reach'));\n",
    );
    const one = await bundle(
      'one',
      "import { instagram_business } from '@reportei-connect/metrics/instagram_business';\nconsole.log(instagram_business, instagram_business.metric('ig:reach'));\n",
    );
    console.info(
      `whole catalogue: ${whole.bytes} B min, ${whole.gzipBytes} B gzip; instagram_business alone: ${one.bytes} B min, ${one.gzipBytes} B gzip`,
    );
    for (const key of ['fb_ads:cpc', 'tiktok_ads:', 'gads:']) expect(whole.text).toContain(key);
    expect(one.text).toContain('ig:followers_gender');
    for (const key of ['fb_ads:cpc', 'tiktok_ads:', 'gads:']) expect(one.text).not.toContain(key);
    expect(one.bytes).toBeLessThan(whole.bytes / 10);
  });

  it('bundles no catalogue data for an import whose bindings go unused (sideEffects: false)', async () => {
    const typesOnly = await bundle('types-only', "import '@reportei-connect/metrics/instagram_business';\nconsole.log('no data');\n");
    expect(typesOnly.text).not.toContain('ig:');
  });
});
