#!/usr/bin/env node
// `pnpm bench`: measures per-call overhead, bundle sizes and pipeline speed, prints a table per
// section and writes bench/results.json. Sections not selected with --only keep their previous
// results in the file (each section records the machine and date it was measured on).
//
//   pnpm bench                              # everything (a few minutes)
//   pnpm bench --only calls,size            # skip the pipeline builds
//   pnpm bench --only calls --rounds 15 --calls 5000
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, platform, release, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { benchCalls } from './calls.mjs';
import { ROOT } from './packages.mjs';
import { benchPipeline } from './pipeline.mjs';
import { benchSize } from './size.mjs';
import { formatTable, median, round } from './stats.mjs';

const SECTIONS = ['calls', 'size', 'pipeline'];
/** Client overhead budget from issue 7: at most 1.10x raw fetch, aiming for 1.05x. */
const CLIENT_RATIO_BUDGET = 1.1;
const CLIENT_RATIO_TARGET = 1.05;

const USAGE = `Usage: pnpm bench [--only ${SECTIONS.join(',')}] [options]

  --only <list>        sections to run, comma-separated (default: all)
  --rounds <n>         calls: interleaved rounds (default 15)
  --calls <n>          calls: calls per variant per round (default 2000)
  --in-flight <n>      calls: concurrency of the concurrent run (default 64)
  --warmup <n>         calls: warm-up calls per variant (default 2000)
  --filter <filter>    pipeline: a turbo --filter, to time part of the workspace
  --codegen-runs <n>   pipeline: runs of each code generator (default 3)
  --out <file>         where to write the results (default bench/results.json)`;

function options() {
  const { values } = parseArgs({
    options: {
      only: { type: 'string', default: SECTIONS.join(',') },
      rounds: { type: 'string', default: '15' },
      calls: { type: 'string', default: '2000' },
      'in-flight': { type: 'string', default: '64' },
      warmup: { type: 'string', default: '2000' },
      filter: { type: 'string' },
      'codegen-runs': { type: 'string', default: '3' },
      out: { type: 'string', default: join(ROOT, 'bench', 'results.json') },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const only = values.only.split(',').map((section) => section.trim());
  const unknown = only.filter((section) => !SECTIONS.includes(section));
  if (unknown.length > 0) throw new Error(`unknown section(s) ${unknown.join(', ')}; choose from ${SECTIONS.join(', ')}\n\n${USAGE}`);
  /** @param {'rounds' | 'calls' | 'in-flight' | 'warmup' | 'codegen-runs'} name */
  const count = (name) => {
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer, got "${values[name]}"`);
    return value;
  };
  return {
    only,
    rounds: count('rounds'),
    calls: count('calls'),
    inFlight: count('in-flight'),
    warmupCalls: count('warmup'),
    codegenRuns: count('codegen-runs'),
    filter: values.filter,
    out: values.out,
  };
}

function machine() {
  const cpuList = cpus();
  return {
    cpu: cpuList[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    node: process.version,
    // Other work on the machine is the main source of noise in the per-call figures.
    loadAverage1m: round(loadavg()[0] ?? 0, 2),
  };
}

/** @param {number} bytes */
const kilobytes = (bytes) => `${(bytes / 1000).toFixed(2)} kB`;
/** @param {number} ratio */
const times = (ratio) => `${ratio.toFixed(3)}x`;
/** @param {number} spread */
const percent = (spread) => `${(spread * 100).toFixed(1)}%`;

/** @param {Awaited<ReturnType<typeof benchCalls>> & { clientBudget?: Record<string, any> }} calls */
function printCalls(calls) {
  for (const [title, rows] of /** @type {const} */ ([
    [`sequential, ${calls.rounds} rounds x ${calls.callsPerRound} calls`, calls.sequential],
    [`${calls.inFlight} in flight, ${calls.rounds} rounds x ${calls.callsPerRound} calls`, calls.concurrent],
  ])) {
    console.log(`\nPer-call time (${title}; medians of rounds):\n`);
    console.log(
      formatTable(
        ['variant', 'µs/call', 'spread', 'vs raw fetch', 'CPU µs/call', 'CPU spread', 'CPU vs raw'],
        rows.map(({ name, wall, cpu }) => [
          name,
          wall.medianMicroseconds.toFixed(1),
          percent(wall.spread),
          times(wall.ratioToRawFetch),
          cpu.medianMicroseconds.toFixed(1),
          percent(cpu.spread),
          times(cpu.ratioToRawFetch),
        ]),
      ),
    );
  }
  console.log(
    '\nspread = (max - min) / median over rounds; "vs raw" = median over rounds of the ratio to raw fetch in the same round.',
  );
  if (calls.clientBudget) {
    const { sequentialRatio, ratioToRawFetchWithTimeout, maxRatio, targetRatio, met } = calls.clientBudget;
    console.log(
      `\nClient overhead ${times(sequentialRatio)} raw fetch, sequential wall clock (budget ${times(maxRatio)}, target ${times(targetRatio)}): ${met ? 'within budget' : 'OVER BUDGET'}; ` +
        `${times(ratioToRawFetchWithTimeout)} raw fetch with the same per-call timeout signal.`,
    );
  }
}

/** @param {Awaited<ReturnType<typeof benchSize>>} size */
function printSize(size) {
  console.log('\nBundle size (esbuild, minified ESM for the browser; peer dependencies external):\n');
  console.log(
    formatTable(
      ['entry', 'min', 'min+gzip', 'external', 'note'],
      size.rows.map((row) => [row.entry, kilobytes(row.minBytes), kilobytes(row.gzipBytes), row.external.join(', ') || null, row.note]),
    ),
  );
}

/** @param {Awaited<ReturnType<typeof benchPipeline>>} pipeline */
function printPipeline(pipeline) {
  console.log(`\nPipeline (${pipeline.command}):\n`);
  /** @param {string} name @param {{ seconds: number, cached: number, total: number, executed: string[] }} run */
  const step = (name, run) => [
    name,
    `${run.seconds.toFixed(1)} s`,
    `${run.cached}/${run.total}`,
    run.executed.length === 0 ? null : run.executed.length > 6 ? `${run.executed.length} tasks` : run.executed.join(' '),
  ];
  console.log(
    formatTable(
      ['step', 'time', 'cached', 'executed'],
      [
        step('cold build (empty cache)', pipeline.cold),
        step('second build', pipeline.second),
        step(`after editing ${pipeline.editedFile}`, pipeline.afterSpecEdit),
        step('after undoing the edit', pipeline.afterRestore),
      ],
    ),
  );
  console.log('\nCode generation alone (median of runs, including Node start-up):\n');
  console.log(formatTable(['generator', 'time'], pipeline.codegen.map((run) => [run.name, `${run.medianSeconds.toFixed(2)} s`])));
  for (const [name, run] of /** @type {const} */ ([['second build', pipeline.second], ['build after undoing the edit', pipeline.afterRestore]])) {
    if (!run.fullyCached) {
      console.log(`\nWARNING: the ${name} was not fully cached (${run.cached}/${run.total}); re-ran: ${run.executed.join(', ')}`);
    }
  }
}

/**
 * The client's sequential wall-clock ratio against the budget, plus its ratio to raw fetch with the same
 * per-call timeout signal (the floor for a client with timeouts on), from the same rounds.
 * @param {Awaited<ReturnType<typeof benchCalls>>} calls
 */
function budget(calls) {
  /** @template {{ id: string }} Row @param {Row[]} rows @param {string} id */
  const row = (rows, id) => rows.find((candidate) => candidate.id === id);
  const client = row(calls.sequential, 'client');
  const floor = row(calls.sequential, 'rawWithTimeout');
  if (!client || !floor) return undefined;
  const overFloor = client.wall.perRoundMicroseconds.map((value, index) => value / (floor.wall.perRoundMicroseconds[index] ?? Number.NaN));
  return {
    sequentialRatio: client.wall.ratioToRawFetch,
    concurrentRatio: row(calls.concurrent, 'client')?.wall.ratioToRawFetch,
    sequentialCpuRatio: client.cpu.ratioToRawFetch,
    ratioToRawFetchWithTimeout: round(median(overFloor), 3),
    maxRatio: CLIENT_RATIO_BUDGET,
    targetRatio: CLIENT_RATIO_TARGET,
    met: client.wall.ratioToRawFetch <= CLIENT_RATIO_BUDGET,
  };
}

/** JSON with two-space indentation, but arrays of numbers (per-round timings) kept on one line. @param {unknown} value */
function toJson(value) {
  return JSON.stringify(value, null, 2).replace(/\[\s+(-?[\d.e+-]+(?:,\s+-?[\d.e+-]+)*)\s+\]/g, (_, /** @type {string} */ items) => `[${items.split(/,\s+/).join(', ')}]`);
}

async function main() {
  const settings = options();
  const log = (/** @type {string} */ line) => console.error(`[bench] ${line}`);
  const measuredOn = { date: new Date().toISOString(), machine: machine() };
  const { cpu, cores, node, loadAverage1m } = measuredOn.machine;
  log(`${cpu}, ${cores} cores, Node ${node}, load average ${loadAverage1m}`);
  if (loadAverage1m >= cores) log(`the machine is busy (load ${loadAverage1m} on ${cores} cores): expect noisy per-call figures`);

  const previous = existsSync(settings.out) ? JSON.parse(readFileSync(settings.out, 'utf8')) : {};
  const results = { ...previous, generatedBy: 'pnpm bench (tools/bench/run.mjs)' };
  let failed = false;

  if (settings.only.includes('calls')) {
    const calls = await benchCalls({ ...settings, log });
    const clientBudget = budget(calls);
    results.calls = { ...measuredOn, ...calls, ...(clientBudget && { clientBudget }) };
    printCalls(results.calls);
  }
  if (settings.only.includes('size')) {
    results.size = { ...measuredOn, ...(await benchSize({ log })) };
    printSize(results.size);
  }
  if (settings.only.includes('pipeline')) {
    results.pipeline = { ...measuredOn, ...(await benchPipeline({ ...settings, log })) };
    printPipeline(results.pipeline);
    failed = !results.pipeline.second.fullyCached || !results.pipeline.afterRestore.fullyCached;
  }

  mkdirSync(dirname(settings.out), { recursive: true });
  writeFileSync(settings.out, `${toJson(results)}\n`);
  console.log(`\nWrote ${relative(process.cwd(), settings.out) || settings.out}`);
  // A second build that is not fully cached is a broken pipeline, not a slow one: fail loudly.
  if (failed) process.exitCode = 1;
}

main().catch((error) => {
  console.error(`[bench] ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
});
