#!/usr/bin/env node
// `pnpm bench`: measures per-call overhead (the client against raw fetch and its peers), bundle sizes,
// the sandbox against the Prism mock, and pipeline speed, and prints a table per section. It writes
// nothing unless asked: `--save` writes bench/results.json (sections not run keep their saved results,
// each with the machine and date it was measured on) and regenerates the README's Performance figures
// from it (report.mjs).
//
//   pnpm bench                              # everything (about 5 minutes), printed only
//   pnpm bench --save                       # the same, saved, README regenerated
//   pnpm bench --only calls,size            # skip the load test and the pipeline builds
//   pnpm bench --only calls --rounds 15 --calls 5000
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, platform, release, totalmem } from 'node:os';
import { dirname, relative } from 'node:path';
import { benchCalls } from './calls.mjs';
import { USAGE, parseOptions } from './options.mjs';
import { benchPacing } from './pacing.mjs';
import { benchPipeline } from './pipeline.mjs';
import { budgetSentence, devLoopTable, inProcessTable, kilobytes, listingTable, loadTable, pacingSentence, pacingTable, peersAhead, pipelineTable, pipelineTargets, times, writeReadme, writesTable } from './report.mjs';
import { benchSandbox } from './sandbox.mjs';
import { benchSize } from './size.mjs';
import { formatTable, round } from './stats.mjs';

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

/** @param {number} spread */
const percent = (spread) => `${(spread * 100).toFixed(1)}%`;

/** @param {Awaited<ReturnType<typeof benchCalls>> & { date: string, machine: ReturnType<typeof machine> }} calls */
function printCalls(calls) {
  for (const [title, rows] of /** @type {const} */ ([
    [`sequential, ${calls.rounds} rounds x ${calls.callsPerRound} calls`, calls.sequential],
    [`${calls.inFlight} in flight, ${calls.rounds} rounds x ${calls.callsPerRound} calls`, calls.concurrent],
  ])) {
    console.log(`\nPer-call time (${title}; medians of rounds):\n`);
    console.log(
      formatTable(
        ['variant', 'µs/call', 'spread', 'vs raw fetch', 'vs raw + timeout', 'CPU µs/call', 'CPU spread', 'CPU vs raw + timeout'],
        rows.map(({ name, wall, cpu }) => [
          name,
          wall.medianMicroseconds.toFixed(1),
          percent(wall.spread),
          times(wall.ratioToRawFetch),
          times(wall.ratioToReference),
          cpu.medianMicroseconds.toFixed(1),
          percent(cpu.spread),
          times(cpu.ratioToReference),
        ]),
      ),
    );
  }
  console.log('\nspread = (max - min) / median over rounds; ratios = median over rounds of the ratio to raw fetch (with the timeout signal) in the same round.');
  console.log(`\n${budgetSentence(calls).replaceAll('**', '')}`);
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
  console.log(`\nPipeline (${pipeline.command}, ${pipeline.testCommand}, empty throw-away cache):\n`);
  console.log(pipelineTable(pipeline));
  console.log('\nSlowest test tasks:\n');
  console.log(formatTable(['task', 'time'], Object.entries(pipeline.test.taskSeconds).sort(([, a], [, b]) => b - a).slice(0, 5).map(([task, seconds]) => [task, `${seconds.toFixed(1)} s`])));
  console.log(`\npnpm dev (${pipeline.dev.rounds} edits of ${pipeline.dev.editedFile}):\n`);
  console.log(devLoopTable(pipeline.dev));
  console.log(`\nIts lines for the first edit and its undo:\n${pipeline.dev.lines.join('\n')}\n`);
  console.log(pipelineTargets(pipeline));
  console.log('\nCode generation alone (median of runs, including Node start-up):\n');
  console.log(formatTable(['generator', 'time'], pipeline.codegen.map((run) => [run.name, `${run.medianSeconds.toFixed(2)} s`])));
  for (const [name, run] of /** @type {const} */ ([['second build', pipeline.second], ['build after undoing the edit', pipeline.afterRestore]])) {
    if (!run.fullyCached) {
      console.log(`\nWARNING: the ${name} was not fully cached (${run.cached}/${run.total}); re-ran: ${run.executed.join(', ')}`);
    }
  }
}

/** @param {Awaited<ReturnType<typeof benchSandbox>>} sandbox */
function printSandbox(sandbox) {
  console.log(`\nSandbox against Prism (${sandbox.connections} connections, ${sandbox.rounds} rounds x ${sandbox.secondsPerRound} s per server; medians):\n`);
  console.log(loadTable(sandbox));
  console.log(`\nThe sandbox answered ${sandbox.load.sandboxToPrism.toFixed(1)}x as many requests per second as Prism.`);
  console.log(`\nThe sandbox's in-process fetch (sequential, ${sandbox.rounds} rounds x ${sandbox.inProcess.callsPerRound} calls per operation; medians):\n`);
  console.log(inProcessTable(sandbox));
  console.log(`\n${sandbox.listing.operation}:\n`);
  console.log(listingTable(sandbox));
  console.log(`\nThe dearest page with many customers costs ${sandbox.listing.ratio.toFixed(2)}x the page with few.`);
  console.log(`\n${sandbox.writes.operation}:\n`);
  console.log(writesTable(sandbox));
  console.log(`\nA write with many customers stored costs ${sandbox.writes.ratio.toFixed(2)}x one with few.`);
}

/** JSON with two-space indentation, but arrays of numbers (per-round timings) kept on one line. @param {unknown} value */
function toJson(value) {
  return JSON.stringify(value, null, 2).replace(/\[\s+(-?[\d.e+-]+(?:,\s+-?[\d.e+-]+)*)\s+\]/g, (_, /** @type {string} */ items) => `[${items.split(/,\s+/).join(', ')}]`);
}

async function main() {
  const settings = parseOptions(process.argv.slice(2));
  if (!settings) {
    console.log(USAGE);
    return;
  }
  const log = (/** @type {string} */ line) => console.error(`[bench] ${line}`);
  const measuredOn = { date: new Date().toISOString(), machine: machine() };
  const { cpu, cores, node, loadAverage1m } = measuredOn.machine;
  log(`${cpu}, ${cores} cores, Node ${node}, load average ${loadAverage1m}`);
  if (loadAverage1m >= cores) log(`the machine is busy (load ${loadAverage1m} on ${cores} cores): expect noisy per-call figures`);

  const previous = settings.out && existsSync(settings.out) ? JSON.parse(readFileSync(settings.out, 'utf8')) : {};
  const results = { ...previous, generatedBy: 'pnpm bench --save (tools/bench/run.mjs)' };
  let failed = false;

  if (settings.only.includes('calls')) {
    results.calls = { ...measuredOn, ...(await benchCalls({ ...settings, log })) };
    printCalls(results.calls);
  }
  if (settings.only.includes('size')) {
    results.size = { ...measuredOn, ...(await benchSize({ log })) };
    printSize(results.size);
  }
  if (settings.only.includes('calls') || settings.only.includes('size')) {
    const ahead = peersAhead(results);
    console.log(ahead.length === 0 ? '\nNo peer beats the client in any column.' : `\nWhere a peer beats the client:\n${ahead.map((row) => `  ${row.column}: ${row.peer} ${row.peerValue} against ${row.clientValue}`).join('\n')}`);
  }
  if (settings.only.includes('sandbox')) {
    results.sandbox = { ...measuredOn, ...(await benchSandbox({ ...settings, log })) };
    printSandbox(results.sandbox);
  }
  if (settings.only.includes('pacing')) {
    results.pacing = { ...measuredOn, ...(await benchPacing({ workers: settings.pacingWorkers, calls: settings.pacingCalls, perSecond: settings.pacingPerSecond, log })) };
    console.log(`\nPacing (${results.pacing.workers} worker processes x ${results.pacing.callsPerWorker} calls, one merchant, a sandbox allowing ${results.pacing.perSecond}/s):\n`);
    console.log(pacingTable(results.pacing));
    console.log(`\n${pacingSentence(results.pacing).replaceAll('**', '')}`);
  }
  if (settings.only.includes('pipeline')) {
    results.pipeline = { ...measuredOn, ...(await benchPipeline({ ...settings, log })) };
    printPipeline(results.pipeline);
    failed = !results.pipeline.second.fullyCached || !results.pipeline.afterRestore.fullyCached;
  }

  if (settings.out) {
    mkdirSync(dirname(settings.out), { recursive: true });
    writeFileSync(settings.out, `${toJson(results)}\n`);
    console.log(`\nWrote ${relative(process.cwd(), settings.out) || settings.out}`);
    if (settings.readme && writeReadme(settings.out)) console.log('Rewrote the Performance figures of README.md from it');
  } else {
    console.log('\nNothing written (--save writes bench/results.json and the README\'s figures).');
  }
  // A second build that is not fully cached is a broken pipeline, not a slow one: fail loudly.
  if (failed) process.exitCode = 1;
}

main().catch((error) => {
  console.error(`[bench] ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
});
