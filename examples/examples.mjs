// @ts-check
// Every example a README shows, by the name `pnpm example <name>` knows it: the file that is the
// example (the README shows it whole: test/examples.test.mjs checks they are identical) and the
// README it appears in. The files are run as written, with tsx, from their own package's folder so
// that their imports resolve as in a user's project.

import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * @typedef {object} Example
 * @property {string} name     what `pnpm example` calls it
 * @property {string} file     the example, relative to the root
 * @property {string} readme   the README that shows it, relative to the root
 * @property {string} about    one line for `pnpm example`'s list
 * @property {string[]} [args] arguments it is run with, as its README says
 * @property {RegExp} [expect] what its output shows once it has worked (the tests check it; without
 *   it, that it exits with 0)
 * @property {boolean} [redis] it needs a Redis too: REDIS_URL, or one started for the run
 */

/** @type {Example[]} */
export const EXAMPLES = [
  {
    name: 'start',
    file: 'examples/start.ts',
    readme: 'README.md',
    about: 'the first hour: a customer, its link to connect a network, metrics of a connected integration',
    expect: /^metrics: reach \d+/m,
  },
  {
    name: 'client',
    file: 'packages/client/examples/quickstart.ts',
    readme: 'packages/client/README.md',
    about: "a tour of the client: options, every kind of call, metrics typed by component, pagination, errors, raw",
    expect: /^raw: [0-9a-f-]{36}$/m,
  },
  {
    name: 'metrics',
    file: 'packages/metrics/examples/readme.ts',
    readme: 'packages/metrics/README.md',
    about: 'metric requests from the catalogue, their results typed by component',
    expect: /^\d+(\.\d+)?\n\[ 'Male'/m,
  },
  {
    name: 'types',
    file: 'packages/types/examples/readme.ts',
    readme: 'packages/types/README.md',
    about: "the spec's types, results typed by the metrics requested (types only: it prints nothing)",
  },
  {
    name: 'sandbox',
    file: 'packages/sandbox/examples/quickstart.ts',
    readme: 'packages/sandbox/README.md',
    about: 'a sandbox of its own, in-process: trials, the clock, faults (ignores REPORTEI_CONNECT_*)',
    expect: /^http:\/\/127\.0\.0\.1:\d+\/api$/m,
  },
  {
    name: 'webhook',
    file: 'packages/sandbox/examples/webhook.ts',
    readme: 'packages/sandbox/README.md',
    about: 'getMetricsDataAsync, its webhook received by a server on this machine',
    expect: /^true$/m,
  },
  {
    name: 'nightly',
    file: 'packages/rate-limit-redis/examples/nightly.ts',
    readme: 'packages/rate-limit-redis/README.md',
    about: 'the nightly job: a BullMQ queue, three workers sharing the rate limit through Redis (needs redis-server)',
    expect: /^12 jobs done by 3 workers sharing one budget/m,
    redis: true,
  },
  {
    name: 'spec-model',
    file: 'packages/spec-model/examples/readme.ts',
    readme: 'packages/spec-model/README.md',
    about: "the spec's operations listed, a request routed and its body validated",
    args: [fileURLToPath(import.meta.resolve('@reportei-connect/openapi/openapi.json'))],
    expect: /^POST \/customers createCustomer/m,
  },
];
