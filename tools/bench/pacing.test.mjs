// The pacing section's plumbing, on a tiny run (two worker processes, three calls each, a generous
// limit): every way of pacing runs in its own worker processes against a fresh sandbox (and Redis),
// and reports every figure the README shows. No timing and no count of 429s is asserted: those are
// what `pnpm bench` measures.
import { describe, expect, it } from 'vitest';
import { PACING_MODES, benchPacing } from './pacing.mjs';
import { pacingSentence, pacingTable } from './report.mjs';

describe('benchPacing', () => {
  it('runs the worker processes once per way of pacing and accounts for every call', async () => {
    const lines = /** @type {string[]} */ ([]);
    const pacing = await benchPacing({ workers: 2, calls: 3, perSecond: 50, log: (line) => lines.push(line) });
    expect(pacing).toMatchObject({ workers: 2, callsPerWorker: 3, perSecond: 50, idealSeconds: 0.12, sharedTarget: { maxRatio: 1.15, met: expect.any(Boolean) } });
    expect(pacing.rows.map((row) => row.mode)).toEqual([...PACING_MODES]);
    for (const row of pacing.rows) {
      expect(row.ok + row.failed, row.mode).toBe(6);
      expect(row.seconds, row.mode).toBeGreaterThan(0);
      expect(row.ratioToIdeal, row.mode).toBeCloseTo(row.seconds / pacing.idealSeconds, 1);
    }
    expect(lines).toHaveLength(PACING_MODES.length);
    const table = pacingTable(pacing);
    expect(table.split('\n')).toHaveLength(2 + PACING_MODES.length);
    expect(table).toContain('| shared, `rateLimit: { perSecond, store: redisRateLimit(...) }` |');
    expect(pacingSentence(pacing)).toMatch(/^Ideal: 6 calls at 50 a second, 0.12 s\. Target for the shared budget: no 429 and at most 1\.150x the ideal: \*\*(met|missed)\*\*\.$/);
  });

  it('measures only the ways asked for, and starts no Redis without the shared one', async () => {
    const pacing = await benchPacing({ workers: 1, calls: 1, perSecond: 50, modes: ['none'], log: () => undefined });
    expect(pacing.rows.map((row) => row.mode)).toEqual(['none']);
    expect(pacing.sharedTarget).toBeUndefined();
    expect(pacingSentence(pacing)).toMatch(/not measured/);
  });
});
