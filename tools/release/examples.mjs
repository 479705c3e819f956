// @ts-check
// What `pnpm release:check` needs to know about a few README examples, and nothing else: every other
// TypeScript block of the READMEs is type-checked and run exactly as written. Each entry names one
// block by its README and a piece of its text; an entry that matches no block, or more than one, fails
// the check, so this list cannot silently outlive the READMEs.

/**
 * @typedef {object} ExampleSetting
 * @property {string} readme      the README, relative to the repository's root
 * @property {string} contains    a piece of text only that block of the README contains
 * @property {string} why
 * @property {string} [prelude]   code put before the block (a fragment's missing variables)
 * @property {string[]} [args]    arguments to run it with, relative to the temporary project
 * @property {RegExp} [expect]    what its output must contain
 * @property {boolean} [redis]  it needs a Redis: the check starts a redis-server (tools/redis-server) and
 *   gives its address as REDIS_URL
 * @property {Record<string, string>} [define]  text replaced in the block before it is compiled, as a
 *   bundler's define does (a page's `import.meta.env`, which Vite fills, is `process.env` in Node)
 */

/** @type {ExampleSetting[]} */
export const EXAMPLE_SETTINGS = [
  {
    readme: 'packages/client/README.md',
    contains: "errorFromResponse('GET', '/customers/{uuid}'",
    why: 'a fragment: it uses a client and the uuid of a customer, as in the example above it',
    prelude: [
      "import { createConnectClient, errorFromResponse } from '@reportei-connect/client';",
      'const connect = createConnectClient();',
      "const { customer: { uuid } } = await connect.createCustomer({ name: 'Raw' });",
    ].join('\n'),
  },
  {
    readme: 'packages/client/README.md',
    contains: 'parseMetricsWebhook(await request.arrayBuffer())',
    why: "a fragment of a webhook handler: it reads the handler's request",
    prelude: "const request = new Request('http://127.0.0.1/metrics-webhook', { method: 'POST', body: JSON.stringify({ reach: { values: 1234 } }) });",
    expect: /\[ 'reach' \]/,
  },
  {
    readme: 'packages/spec-model/README.md',
    contains: "loadDocument(process.argv[2] ?? 'openapi.json')",
    why: 'reads the document named by its first argument, as its README says to run it',
    args: ['node_modules/@reportei-connect/openapi/dist/openapi.json'],
    expect: /^POST \/customers createCustomer/m,
  },
  {
    readme: 'packages/rate-limit-redis/README.md',
    contains: "new Worker<NightlyJob, string>(",
    why: 'the nightly job: a BullMQ queue and its workers, which need a Redis',
    redis: true,
    expect: /^12 jobs done by 3 workers sharing one budget/m,
  },
  {
    readme: 'packages/react-query/README.md',
    contains: 'createConnectQueryHooks(connect)',
    why: 'renders into a page: the harness gives it a DOM and prints the page once it has settled; it reads the sandbox lines from import.meta.env, as a Vite app does',
    expect: /<li>Demo Customer<\/li>/,
    define: { 'import.meta.env': 'process.env' },
  },
];
