import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatTable, median, relativeSpread, round } from './stats.mjs';
import { parseTurboSummary } from './pipeline.mjs';
import { packageEntries, resolveConditions } from './packages.mjs';

describe('median', () => {
  it('takes the middle of an odd count and the mean of the two middles of an even one, whatever the order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it('refuses an empty sample', () => {
    expect(() => median([])).toThrow(RangeError);
  });
});

describe('relativeSpread and round', () => {
  it('measures max - min against the median', () => {
    expect(relativeSpread([90, 100, 110])).toBeCloseTo(0.2);
    expect(round(1.23456, 2)).toBe(1.23);
  });
});

describe('formatTable', () => {
  it('pads columns, right-aligns numbers with units and prints missing cells as "-"', () => {
    const table = formatTable(
      ['variant', 'µs/call', 'note'],
      [
        ['raw fetch', '101.5', null],
        ['client', '1234.0', 'slow'],
      ],
    );
    expect(table.split('\n')).toEqual([
      '| variant   | µs/call | note |',
      '| --------- | ------: | ---- |',
      '| raw fetch |   101.5 | -    |',
      '| client    |  1234.0 | slow |',
    ]);
  });
});

describe('parseTurboSummary', () => {
  it("reads turbo's cached/total counts and the tasks that executed", () => {
    const output = [
      '@reportei-connect/openapi:build: cache miss, executing 0123abcd',
      '@reportei-connect/types:build: cache hit, suppressing logs 4567ef01',
      '',
      ' Tasks:    2 successful, 2 total',
      'Cached:    1 cached, 2 total',
      '  Time:    1.2s',
    ].join('\n');
    expect(parseTurboSummary(output)).toEqual({ cached: 1, total: 2, executed: ['@reportei-connect/openapi:build'] });
  });

  it('fails when the summary is missing rather than reporting zeros', () => {
    expect(() => parseTurboSummary('ERROR run failed')).toThrow(/Cached:/);
  });
});

describe('resolveConditions', () => {
  it('picks the ESM JavaScript target of an exports entry, never types or require', () => {
    const entry = {
      import: { types: './dist/index.d.ts', default: './dist/index.js' },
      require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
    };
    expect(resolveConditions(entry)).toBe('./dist/index.js');
    expect(resolveConditions({ types: './dist/index.d.ts' })).toBeUndefined();
  });
});

describe('packageEntries', () => {
  it('lists the JavaScript entries of an exports map, one built file standing for a ./* pattern', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-entries-'));
    try {
      mkdirSync(join(dir, 'dist', 'integrations'), { recursive: true });
      for (const file of ['index.js', 'integrations/zoom.js', 'integrations/ads.js', 'integrations/ads.d.ts']) {
        writeFileSync(join(dir, 'dist', file), '');
      }
      const manifest = {
        exports: {
          '.': { import: { types: './dist/index.d.ts', default: './dist/index.js' } },
          './webhooks': { import: './dist/webhooks.js' },
          './package.json': './package.json',
          './*': { import: { types: './dist/integrations/*.d.ts', default: './dist/integrations/*.js' } },
        },
      };
      expect(packageEntries({ name: '@scope/pkg', dir, manifest })).toEqual([
        { specifier: '@scope/pkg', file: join(dir, 'dist/index.js'), built: true },
        { specifier: '@scope/pkg/webhooks', file: join(dir, 'dist/webhooks.js'), built: false },
        { specifier: '@scope/pkg/ads', file: join(dir, 'dist/integrations/ads.js'), built: true, patternMatches: 2 },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
