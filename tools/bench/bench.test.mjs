import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { README_FILE, RESULTS_FILE, parseOptions } from './options.mjs';
import { formatTable, median, relativeSpread, round } from './stats.mjs';
import { lineCount, machineBusySeconds, parseRunSummary } from './pipeline.mjs';
import { ROOT, packageEntries, resolveConditions } from './packages.mjs';
import { BEGIN, END, budgetSentence, coresBusy, peersAhead, pipelineTable, readmeIsCurrent, renderPerformance, withPerformance } from './report.mjs';
import { PEERS, bundleSize } from './size.mjs';

const execFileAsync = promisify(execFile);

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

describe('parseRunSummary', () => {
  it("reads turbo's run summary: tasks, those from the cache, and how long each that ran took", () => {
    const summary = {
      tasks: [
        { taskId: '@reportei-connect/openapi#build', cache: { status: 'MISS' }, execution: { startTime: 1_000, endTime: 3_450, exitCode: 0 } },
        { taskId: '@reportei-connect/openapi#test', cache: { status: 'MISS' }, execution: { startTime: 3_450, endTime: 4_450, exitCode: 1 } },
        { taskId: '@reportei-connect/types#build', cache: { status: 'HIT' }, execution: { startTime: 3_450, endTime: 3_500 } },
        { taskId: '@reportei-connect/codegen-types#build', cache: { status: 'MISS' } },
      ],
    };
    expect(parseRunSummary(summary)).toEqual({
      failed: ['@reportei-connect/openapi#test'],
      cached: 1,
      total: 4,
      executed: ['@reportei-connect/openapi#build', '@reportei-connect/openapi#test'],
      taskSeconds: { '@reportei-connect/openapi#build': 2.5, '@reportei-connect/openapi#test': 1 },
    });
  });
});

describe('machineBusySeconds', () => {
  it("grows by at least this process's own CPU time while it works", () => {
    const [machineBefore, ownBefore] = [machineBusySeconds(), process.cpuUsage()];
    const ownSeconds = () => {
      const { user, system } = process.cpuUsage(ownBefore);
      return (user + system) / 1e6;
    };
    while (ownSeconds() < 0.2) for (let i = 0; i < 1e5; i++) Math.sqrt(i);
    const own = ownSeconds();
    // The kernel counts in ticks (10 ms): a few of them either way.
    expect(machineBusySeconds() - machineBefore).toBeGreaterThanOrEqual(own - 0.05);
  });
});

describe('the pipeline figures', () => {
  /** @param {number} seconds @param {number} [cpuSeconds] */
  const step = (seconds, cpuSeconds) => ({ seconds, cpuSeconds, cached: 0, total: 2, executed: [], failed: [], lines: 3, taskSeconds: { 'a#test': seconds } });
  const pipeline = {
    command: 'pnpm build', testCommand: 'pnpm test', editedFile: 'spec/paths/a.yaml', machine: { cores: 2 },
    cold: step(20, 30), second: step(1, 1), afterSpecEdit: step(15, 28), afterRestore: step(1), test: step(100, 180),
  };

  it('give the CPU time of each step, the whole machine counted, and a dash where a saved run has none', () => {
    const rows = pipelineTable(/** @type {any} */ (pipeline)).split('\n');
    expect(rows[0]).toMatch(/^\| step +\| +time \| CPU time, whole machine \| cached \| lines printed \|$/);
    expect(rows.find((row) => row.includes('every test task uncached'))).toMatch(/\| +100\.0 s \| 180 s +\|/);
    expect(rows.find((row) => row.includes('after undoing the edit'))).toMatch(/\| +1\.0 s \| - +\|/);
  });

  it('say how busy the test run kept the cores, and the least time that work takes on them', () => {
    expect(coresBusy(/** @type {any} */ (pipeline))).toBe('`pnpm test` kept the 2 cores 90% busy: 180 CPU-seconds, at least 90 s on 2 cores. ');
    expect(coresBusy(/** @type {any} */ ({ ...pipeline, test: step(100) }))).toBe('');
  });
});

describe('lineCount', () => {
  it('counts the lines a reader sees, ignoring the final newline', () => {
    expect(lineCount('')).toBe(0);
    expect(lineCount('one\n')).toBe(1);
    expect(lineCount('one\n\ntwo\n\n')).toBe(3);
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
      expect(packageEntries({ name: '@scope/pkg', absDir: dir, manifest })).toEqual([
        { specifier: '@scope/pkg', file: join(dir, 'dist/index.js'), built: true },
        { specifier: '@scope/pkg/webhooks', file: join(dir, 'dist/webhooks.js'), built: false },
        { specifier: '@scope/pkg/ads', file: join(dir, 'dist/integrations/ads.js'), built: true, patternMatches: 2 },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('parseOptions', () => {
  it('writes nothing by default; --save writes bench/results.json and the README; --out another file only', () => {
    expect(parseOptions([])).toMatchObject({ only: ['calls', 'size', 'sandbox', 'pacing', 'pipeline'], out: undefined, readme: false, rounds: 101, calls: 400, inFlight: 64 });
    expect(parseOptions([])).toMatchObject({ pacingWorkers: 4, pacingCalls: 100, pacingPerSecond: 20 });
    expect(parseOptions(['--save'])).toMatchObject({ out: RESULTS_FILE, readme: true });
    expect(parseOptions(['--out', '/tmp/x.json'])).toMatchObject({ out: '/tmp/x.json', readme: false });
    expect(parseOptions(['--save', '--out', '/tmp/x.json'])).toMatchObject({ out: '/tmp/x.json', readme: false });
    expect(parseOptions(['--only', 'calls, size', '--sandbox-seconds', '2'])).toMatchObject({ only: ['calls', 'size'], sandboxSeconds: 2 });
    expect(parseOptions(['--help'])).toBeUndefined();
  });

  it('refuses unknown sections, options and counts that are not positive integers', () => {
    expect(() => parseOptions(['--only', 'calls,speed'])).toThrow(/unknown section\(s\) speed/);
    expect(() => parseOptions(['--rounds', '0'])).toThrow(/--rounds must be a positive integer/);
    expect(() => parseOptions(['--calls', '1.5'])).toThrow(/--calls/);
    expect(() => parseOptions(['--pacing-per-second', '0'])).toThrow(/--pacing-per-second must be a positive integer/);
    expect(() => parseOptions(['--bogus'])).toThrow();
  });
});

describe('bundleSize', () => {
  it("measures each peer's browser build, which imports no Node built-in", async () => {
    for (const [name, source] of PEERS) {
      const size = await bundleSize({ source }, []);
      expect(size.nodeBuiltins, name).toEqual([]);
      expect(size.gzipBytes, name).toBeGreaterThan(1000);
    }
  });

  it('reports the Node built-ins an entry imports, which make it Node-only', async () => {
    const size = await bundleSize({ source: "import { readFileSync } from 'node:fs'; import path from 'path'; export const read = () => readFileSync(path.join('a', 'b'));" }, []);
    expect(size.nodeBuiltins).toEqual(['node:fs', 'path']);
  });
});

/** Saved results in the shape run.mjs writes, small and made up. */
function fixture() {
  const measured = { date: '2026-11-30T08:00:00.000Z', machine: { cpu: 'AMD EPYC', cores: 2, memoryGiB: 24, os: 'linux 6.18.44-fc', node: 'v20.20.2', loadAverage1m: 0.4 } };
  /** @param {string} id @param {string} name @param {'baseline' | 'reference' | 'client' | 'peer'} role @param {number} wall @param {number} cpu */
  const row = (id, name, role, wall, cpu) => ({
    id, name, role,
    wall: { medianMicroseconds: wall, spread: 0.1, ratioToRawFetch: wall / 100, ratioToReference: wall / 104, perRoundMicroseconds: [wall] },
    cpu: { medianMicroseconds: cpu, spread: 0.1, ratioToRawFetch: cpu / 100, ratioToReference: cpu / 104, perRoundMicroseconds: [cpu] },
  });
  const rows = [row('raw', 'raw fetch', 'baseline', 100, 100), row('rawWithTimeout', 'raw fetch + timeout', 'reference', 104, 104), row('client', 'client', 'client', 108, 110), row('ky', 'ky 1.0.0', 'peer', 130, 105)];
  return {
    calls: { ...measured, rounds: 3, callsPerRound: 100, inFlight: 64, sequential: rows, concurrent: rows,
      clientBudget: { maxRatio: 1.05, sequential: { ratio: 1.038, met: true, slowerThan: [] }, concurrent: { ratio: 1.07, met: false, slowerThan: [] }, met: false } },
    size: { ...measured, rows: [
      { entry: '@reportei-connect/client', minBytes: 16000, gzipBytes: 6000, external: [] },
      { entry: 'ky 1.0.0', minBytes: 14000, gzipBytes: 5000, external: [], peer: true },
    ], nodeOnly: ['@reportei-connect/sandbox'] },
    pacing: { ...measured, workers: 4, callsPerWorker: 100, perSecond: 20, idealSeconds: 20, sharedTarget: { maxRatio: 1.15, met: true }, rows: [
      { mode: /** @type {const} */ ('none'), refused: 250, failed: 12, ok: 388, retries: 250, waits: 0, seconds: 31.5, ratioToIdeal: 1.575, errors: [] },
      { mode: /** @type {const} */ ('shared'), refused: 0, failed: 0, ok: 400, retries: 0, waits: 399, seconds: 22.2, ratioToIdeal: 1.11, errors: [] },
    ] },
  };
}

describe('report', () => {
  it('renders the figures with the machine and date of the run, and the budget met or missed', () => {
    const text = renderPerformance(fixture());
    expect(text).toContain('AMD EPYC, 2 cores, 24 GiB, Linux 6.18, Node 20.20.2, 30 Nov 2026, every section in the same run');
    expect(text).toContain('| **client** ');
    expect(text).toContain('1.070x with 64 in flight, 1.9% over the budget');
    expect(text).toContain('**missed**');
    expect(text).toContain('For Node only, so not measured: `@reportei-connect/sandbox`.');
    expect(text).toContain('| none (`rateLimit: false`)                                      |      250 |                  12 |     31.5 s |   1.575x |');
    expect(text).toContain('Ideal: 400 calls at 20 a second, 20 s. Target for the shared budget: no 429 and at most 1.150x the ideal: **met**.');
  });

  it('lists every column in which a peer beats the client', () => {
    expect(peersAhead(fixture()).map((row) => `${row.column}: ${row.peer}`)).toEqual([
      'sequential, CPU µs/call: ky 1.0.0',
      '64 in flight, CPU µs/call: ky 1.0.0',
      'bundle, min: ky 1.0.0',
      'bundle, min+gzip: ky 1.0.0',
    ]);
    expect(budgetSentence({ ...fixture().calls, clientBudget: undefined })).toMatch(/not built/);
  });

  it('says when a section comes from another run', () => {
    const results = fixture();
    const text = renderPerformance({ ...results, size: { ...results.size, date: '2026-11-29T08:00:00.000Z' } });
    expect(text).not.toContain('every section in the same run');
    expect(text).toContain('Measured apart: AMD EPYC, 2 cores, 24 GiB, Linux 6.18, Node 20.20.2, 29 Nov 2026.');
  });

  it('replaces only what lies between the markers', () => {
    const readme = `# x\n\n## Performance\n\nIntro.\n\n${BEGIN}\n\nold figures\n\n${END}\n\nNotes.\n`;
    const updated = withPerformance(readme, fixture());
    expect(updated.startsWith(`# x\n\n## Performance\n\nIntro.\n\n${BEGIN}\n\nMeasured by`)).toBe(true);
    expect(updated.endsWith(`\n\n${END}\n\nNotes.\n`)).toBe(true);
    expect(withPerformance(updated, fixture())).toBe(updated);
    expect(() => withPerformance('# no markers', fixture())).toThrow(/no generated Performance figures/);
  });

  it("the README's Performance figures are those of bench/results.json", () => {
    expect(readmeIsCurrent(), 'run `node tools/bench/report.mjs`').toBe(true);
  });
});

describe('pnpm bench', () => {
  /** @param {string[]} args */
  const bench = async (args) => (await execFileAsync(process.execPath, [join(import.meta.dirname, 'run.mjs'), ...args], { cwd: ROOT, encoding: 'utf8' })).stdout;

  it('prints without writing anything unless asked; --out writes that file, not the README', async () => {
    const before = [readFileSync(RESULTS_FILE, 'utf8'), readFileSync(README_FILE, 'utf8')];
    const dir = mkdtempSync(join(tmpdir(), 'bench-save-'));
    try {
      const out = join(dir, 'results.json');
      // Two processes at once: each spends most of its time starting up and bundling.
      const [printed, wrote] = await Promise.all([bench(['--only', 'size']), bench(['--only', 'size', '--out', out])]);
      expect(printed).toContain('Nothing written');
      expect(wrote).toContain('Wrote');
      const saved = JSON.parse(readFileSync(out, 'utf8'));
      expect(Object.keys(saved)).toEqual(['generatedBy', 'size']);
      expect(saved.size.rows.map((/** @type {{ entry: string }} */ row) => row.entry)).toEqual(expect.arrayContaining(['@reportei-connect/client', expect.stringMatching(/^ky /), expect.stringMatching(/^ofetch /), expect.stringMatching(/^axios /)]));
      expect([readFileSync(RESULTS_FILE, 'utf8'), readFileSync(README_FILE, 'utf8')]).toEqual(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
