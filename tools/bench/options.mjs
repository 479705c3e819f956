// The command line of `pnpm bench` (run.mjs), parsed apart from running anything so its tests can
// check it.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from './packages.mjs';

export const SECTIONS = /** @type {const} */ (['calls', 'size', 'sandbox', 'pacing', 'pipeline']);
/** Where `--save` writes, and the README whose Performance section is generated from it. */
export const RESULTS_FILE = join(ROOT, 'bench', 'results.json');
export const README_FILE = join(ROOT, 'README.md');

export const USAGE = `Usage: pnpm bench [--only ${SECTIONS.join(',')}] [--save] [options]

Prints a table per section. Nothing is written unless asked:
  --save                 write bench/results.json (sections not run keep their saved results) and
                         regenerate the README's Performance section from it
  --out <file>           write the results to <file> instead (README untouched)

  --only <list>          sections to run, comma-separated (default: all)
  --rounds <n>           calls: interleaved rounds (default 101)
  --calls <n>            calls: calls per variant per round (default 400)
  --in-flight <n>        calls: concurrency of the concurrent run (default 64)
  --warmup <n>           calls: warm-up calls per variant (default 2000)
  --sandbox-rounds <n>   sandbox: rounds per server, alternating (default 3)
  --sandbox-seconds <n>  sandbox: seconds of load per server per round (default 5)
  --sandbox-warmup <n>   sandbox: seconds of warm-up per server (default 2)
  --sandbox-calls <n>    sandbox: in-process calls per operation per round (default 500)
  --pacing-workers <n>   pacing: worker processes sharing the merchant (default 4)
  --pacing-calls <n>     pacing: calls per worker (default 100)
  --pacing-per-second <n> pacing: the sandbox's --rate-limit-per-second (default 20)
  --filter <filter>      pipeline: a turbo --filter, to time part of the workspace
  --codegen-runs <n>     pipeline: runs of each code generator (default 3)
  --dev-rounds <n>       pipeline: spec edits timed through pnpm dev (default 5)`;

/**
 * @typedef {object} Options
 * @property {(typeof SECTIONS)[number][]} only
 * @property {string | undefined} out the file to write, undefined for none
 * @property {boolean} readme whether to regenerate the README's Performance section
 * @property {number} rounds
 * @property {number} calls
 * @property {number} inFlight
 * @property {number} warmupCalls
 * @property {number} sandboxRounds
 * @property {number} sandboxSeconds
 * @property {number} sandboxWarmupSeconds
 * @property {number} sandboxCalls
 * @property {number} pacingWorkers
 * @property {number} pacingCalls
 * @property {number} pacingPerSecond
 * @property {number} codegenRuns
 * @property {number} devRounds
 * @property {string | undefined} filter
 */

/**
 * Parses the arguments of `pnpm bench`; `undefined` for --help. Throws on anything it does not know.
 * @param {string[]} args
 * @returns {Options | undefined}
 */
export function parseOptions(args) {
  const { values } = parseArgs({
    args,
    options: {
      only: { type: 'string', default: SECTIONS.join(',') },
      save: { type: 'boolean', default: false },
      out: { type: 'string' },
      rounds: { type: 'string', default: '101' },
      calls: { type: 'string', default: '400' },
      'in-flight': { type: 'string', default: '64' },
      warmup: { type: 'string', default: '2000' },
      'sandbox-rounds': { type: 'string', default: '3' },
      'sandbox-seconds': { type: 'string', default: '5' },
      'sandbox-warmup': { type: 'string', default: '2' },
      'sandbox-calls': { type: 'string', default: '500' },
      'pacing-workers': { type: 'string', default: '4' },
      'pacing-calls': { type: 'string', default: '100' },
      'pacing-per-second': { type: 'string', default: '20' },
      filter: { type: 'string' },
      'codegen-runs': { type: 'string', default: '3' },
      'dev-rounds': { type: 'string', default: '5' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return undefined;
  const only = values.only.split(',').map((section) => section.trim());
  const unknown = only.filter((section) => !(/** @type {readonly string[]} */ (SECTIONS)).includes(section));
  if (unknown.length > 0) throw new Error(`unknown section(s) ${unknown.join(', ')}; choose from ${SECTIONS.join(', ')}`);
  /** @param {'rounds' | 'calls' | 'in-flight' | 'warmup' | 'sandbox-rounds' | 'sandbox-seconds' | 'sandbox-warmup' | 'sandbox-calls' | 'pacing-workers' | 'pacing-calls' | 'pacing-per-second' | 'codegen-runs' | 'dev-rounds'} name */
  const count = (name) => {
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer, got "${values[name]}"`);
    return value;
  };
  return {
    only: /** @type {Options['only']} */ (only),
    out: values.out ?? (values.save ? RESULTS_FILE : undefined),
    readme: values.save && values.out === undefined,
    rounds: count('rounds'),
    calls: count('calls'),
    inFlight: count('in-flight'),
    warmupCalls: count('warmup'),
    sandboxRounds: count('sandbox-rounds'),
    sandboxSeconds: count('sandbox-seconds'),
    sandboxWarmupSeconds: count('sandbox-warmup'),
    sandboxCalls: count('sandbox-calls'),
    pacingWorkers: count('pacing-workers'),
    pacingCalls: count('pacing-calls'),
    pacingPerSecond: count('pacing-per-second'),
    codegenRuns: count('codegen-runs'),
    devRounds: count('dev-rounds'),
    filter: values.filter,
  };
}
