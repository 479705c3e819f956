import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { listOperations, loadDocument, loadPayload, loadPayloads, SpecModelError } from '../src/index.js';
import { fixture } from './fixture.js';

const scratch = mkdtempSync(join(tmpdir(), 'spec-model-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('loadDocument', () => {
  it('reads a bundled document from JSON or, by its extension, YAML', () => {
    writeFileSync(join(scratch, 'openapi.json'), JSON.stringify(fixture()));
    writeFileSync(join(scratch, 'openapi.yaml'), stringify(fixture()));
    expect(loadDocument(join(scratch, 'openapi.json'))).toEqual(fixture());
    expect(listOperations(loadDocument(join(scratch, 'openapi.yaml')))).toEqual(listOperations(fixture()));
  });

  it('refuses what is not an OpenAPI document', () => {
    writeFileSync(join(scratch, 'broken.json'), '{');
    writeFileSync(join(scratch, 'other.json'), '{"swagger":"2.0"}');
    expect(() => loadDocument(join(scratch, 'broken.json'))).toThrow(SpecModelError);
    expect(() => loadDocument(join(scratch, 'other.json'))).toThrow(`${join(scratch, 'other.json')} is not an OpenAPI document: it has no "openapi" version.`);
  });
});

describe('loadPayloads', () => {
  const payloads = join(scratch, 'payloads');
  const write = (slug: string, file: string, data: unknown) => {
    mkdirSync(join(payloads, slug), { recursive: true });
    writeFileSync(join(payloads, slug, file), JSON.stringify(data));
  };
  write('zeta', 'metrics.json', { metrics: [{ reference_key: 'z:a', component: 'number_v1', metrics: ['a'] }, { reference_key: 'z:a', component: 'number_v1', metrics: ['a'] }] });
  write('zeta', 'setup.json', { metrics: { a: { label: 'A' } }, dimensions: [] });
  write('alpha', 'metrics.json', { widgets: [{ reference_key: 'a:b', component: 'chart_v1', metrics: ['b'] }] });
  writeFileSync(join(payloads, 'README.md'), 'not an integration');

  it('reads every integration folder, sorted, with its entries (metrics or widgets) and setup', () => {
    const integrations = loadPayloads(payloads);
    expect(integrations.map((integration) => [integration.slug, integration.entries.length, integration.setup])).toEqual([
      ['alpha', 1, undefined],
      ['zeta', 2, { metrics: { a: { label: 'A' } }, dimensions: [] }],
    ]);
    expect(integrations[0]!.file).toBe(join(payloads, 'alpha', 'metrics.json'));
  });

  it('reads one integration, or answers undefined for an unknown one', () => {
    expect(loadPayload(payloads, 'alpha')?.entries[0]).toEqual({ reference_key: 'a:b', component: 'chart_v1', metrics: ['b'] });
    expect(loadPayload(payloads, 'nowhere')).toBeUndefined();
  });

  it('names a file without a list of entries', () => {
    write('broken', 'metrics.json', { entries: [] });
    expect(() => loadPayload(payloads, 'broken')).toThrow(`${join(payloads, 'broken', 'metrics.json')} has neither a "metrics" nor a "widgets" array.`);
  });
});
