// Every command of the generated table, run as the built `connect` against a sandbox over HTTP: its
// --json output held to the spec's success schema, its errors and usage mistakes to their exit status,
// and no token in anything it prints.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnectClient } from '@reportei-connect/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandGroups } from '../src/generated/commands.js';
import { connect, expectClean, itemProblems, json, responseProblems, type Run, startSandbox, type TestSandbox } from './helpers.js';

let box: TestSandbox;
let dir: string;
/** The operations whose command answered JSON the spec accepts. */
const covered = new Set<string>();

beforeAll(async () => {
  box = await startSandbox();
  dir = mkdtempSync(join(tmpdir(), 'connect-cli-'));
});

afterAll(async () => {
  await box?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The JSON `connect args...` printed as `operationId`'s success, checked against the spec. */
async function call(operationId: string, args: string[], env: Record<string, string> = box.env, input?: string): Promise<any> {
  const run = await connect(args, env, input);
  const result = json(run, box.tokens);
  expect(responseProblems(operationId, result)).toEqual([]);
  covered.add(operationId);
  return result;
}

/** A failed run: its exit status and what it printed on stderr, token-free and without a stack. */
async function fail(args: string[], env: Record<string, string> = box.env, input?: string): Promise<Run> {
  const run = await connect(args, env, input);
  expectClean(run, [...box.tokens, 'wrong-merchant-token']);
  expect(run.stdout).toBe('');
  return run;
}

/** A customer made in-process, for the tests that need one of their own. */
async function newCustomer(name: string) {
  const client = createConnectClient({ token: box.sandbox.merchantToken, baseUrl: box.sandbox.baseUrl, fetch: box.sandbox.fetch });
  return (await client.createCustomer({ name })).customer;
}

describe.concurrent('operations', () => {
  it('merchants get-settings', async () => {
    const { merchant } = await call('getMerchantSettings', ['merchants', 'get-settings', '--json']);
    expect(merchant.name).toBe('Sandbox Merchant');
  });

  it('customers create, get, update, update-payment-status and delete, one customer through its life', async () => {
    // JSON by default: standard output is a pipe here.
    const { customer } = await call('createCustomer', ['customers', 'create', '--name', 'Acme']);
    expect(customer).toMatchObject({ name: 'Acme', api_token: expect.any(String) });
    // Independent of each other: run together.
    const [found, renamed, payment] = await Promise.all([
      call('getCustomer', ['customers', 'get', '--uuid', customer.uuid]),
      call('updateCustomer', ['customers', 'update', '--uuid', customer.uuid, '--name', 'Acme Inc.']),
      call('updateCustomerPaymentStatus', ['customers', 'update-payment-status', '--uuid', customer.uuid, '--is-paying']),
    ]);
    expect(found.customer.uuid).toBe(customer.uuid);
    expect(renamed.customer.name).toBe('Acme Inc.');
    expect(payment.message).toMatch(/now marked as a paying customer/);
    await call('deleteCustomer', ['customers', 'delete', '--uuid', customer.uuid]);
    const gone = await fail(['customers', 'get', '--uuid', customer.uuid]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/\(404 from GET \/customers\/\{uuid\}\)/);
  });

  it('customers create --data - reads the body from standard input, and --data @file from a file', async () => {
    expect((await call('createCustomer', ['customers', 'create', '--data', '-'], box.env, '{"name": "From stdin"}')).customer.name).toBe('From stdin');
    const file = join(dir, 'customer.json');
    writeFileSync(file, '{"name": "From a file"}');
    // A flag wins over the same field of --data.
    expect((await call('createCustomer', ['customers', 'create', '--data', `@${file}`])).customer.name).toBe('From a file');
    expect((await call('createCustomer', ['customers', 'create', '--data', `@${file}`, '--name', 'From the flag'])).customer.name).toBe('From the flag');
  });

  it('customers get-settings, as the customer of --customer-token', async () => {
    const { REPORTEI_CONNECT_CUSTOMER_TOKEN: token, ...merchantOnly } = box.env;
    const { customer } = await call('getCustomerSettings', ['--customer-token', token as string, 'customers', 'get-settings'], merchantOnly);
    expect(customer.integrations.map((integration: { uuid: string }) => integration.uuid)).toContain(box.sandbox.integration);
  });

  it('customers list --all follows every page, with a progress line per page on stderr', async () => {
    const names = ['Page A', 'Page B', 'Page C', 'Page D', 'Page E'];
    for (const name of names) await newCustomer(name);
    const run = await connect(['customers', 'list', '--all', '--per-page', '2'], box.env);
    expect(run.code).toBe(0);
    expectClean(run, box.tokens);
    const items = JSON.parse(run.stdout) as { uuid: string; name: string }[];
    expect(itemProblems('listCustomers', items)).toEqual([]);
    expect(items.map((item) => item.name)).toEqual(expect.arrayContaining(names));
    expect(new Set(items.map((item) => item.uuid)).size).toBe(items.length);
    const pages = run.stderr.trim().split('\n');
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages[0]).toMatch(/^connect: page 1 of \d+, 2 items$/);
    expect(pages.at(-1)).toMatch(new RegExp(`^connect: page (\\d+) of \\1, ${items.length} items$`));
    covered.add('listCustomers');
  });

  it('customers list: one page as JSON, or as a table with --no-json', async () => {
    const page = await call('listCustomers', ['customers', 'list', '--per-page', '1']);
    expect(page.data).toHaveLength(1);
    const table = await connect(['--no-json', 'customers', 'list', '--per-page', '1'], box.env);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^UUID +NAME +CREATED_AT/);
    expect(table.stdout).toMatch(/\npage 1 of \d+, \d+ in all\n$/);
  });

  it('customers get --no-json prints key/value lines', async () => {
    const run = await connect(['customers', 'get', '--no-json', '--uuid', box.sandbox.demo.uuid], box.env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^uuid +${box.sandbox.demo.uuid}\nname +Demo Customer\n`));
  });

  it('customer-integrations list, get, create-session and delete', async () => {
    const customer = await newCustomer('Integrations');
    const integration = box.sandbox.connectIntegration(customer.uuid, 'youtube');
    const env = { ...box.env, REPORTEI_CONNECT_CUSTOMER_TOKEN: customer.api_token };
    const tokens = [...box.tokens, customer.api_token];
    const list = await call('listCustomerIntegrations', ['customer-integrations', 'list'], env);
    expect(list.data.map((each: { uuid: string }) => each.uuid)).toEqual([integration]);
    expect((await call('getCustomerIntegration', ['customer-integrations', 'get', '--uuid', integration], env)).customer_integration.uuid).toBe(integration);
    const { integration_session: session } = await call('createIntegrationSession', ['customer-integrations', 'create-session', '--locale', 'pt_br'], env);
    const deleted = await connect(['customer-integrations', 'delete', '--uuid', integration, '--session-id', session.session_uuid], env);
    expect(responseProblems('deleteCustomerIntegration', json(deleted, tokens))).toEqual([]);
    covered.add('deleteCustomerIntegration');
  });

  it('metrics get-data takes catalogue metrics by reference key, keyed by the key', async () => {
    const args = ['metrics', 'get-data', '--customer-integration', box.sandbox.integration, '--start', '2025-01-01', '--end', '2025-01-31'];
    const results = await call('getMetricsData', [...args, '--metric', 'ig:reach', '--metric', 'ig:followers_city']);
    expect(Object.keys(results).sort()).toEqual(['ig:followers_city', 'ig:reach']);
    expect(typeof results['ig:reach'].values).toBe('number');
    // --data's metrics come first, then the catalogue's.
    const file = join(dir, 'metrics.json');
    writeFileSync(file, JSON.stringify({ metrics: [{ id: 'mine', reference_key: 'ig:reach', component: 'number_v1', metrics: ['reach'] }] }));
    const both = await call('getMetricsData', [...args, '--data', `@${file}`, '--metric', 'ig:reach']);
    expect(Object.keys(both).sort()).toEqual(['ig:reach', 'mine']);
  });
});

describe.concurrent('errors', () => {
  it('an invalid field is named before anything is sent: exit 2', async () => {
    const before = box.sandbox.requests().length;
    const run = await fail(['customers', 'create', '--data', '{"name": 42}']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('connect: invalid input, nothing was sent:\n  name: must be string (--name or --data)\n');
    const nested = await fail(['metrics', 'get-data', '--customer-integration', 'not-a-uuid', '--start', '2025-01-01', '--end', '2025-01-31', '--metrics', '[{"id": "x"}]']);
    expect(nested.code).toBe(2);
    expect(nested.stderr).toContain('  customer_integration: must match format "uuid" (--customer-integration or --data)\n');
    expect(nested.stderr).toContain('  metrics.0.reference_key: is required (--metrics or --data)\n');
    expect(box.sandbox.requests().slice(before).filter((request) => request.operationId === 'createCustomer' && request.status === 422)).toEqual([]);
  });

  it('a 422 from the API: its message, then each invalid field on its own line, exit 1', async () => {
    const stranger = await newCustomer('Not the demo');
    const run = await fail(['metrics', 'get-data', '--customer-integration', stranger.uuid, '--start', '2025-01-01', '--end', '2025-01-31', '--metric', 'ig:reach']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^connect: .+ \(422 from POST \/metrics\/get-data\)\n {2}customer_integration: .+\n$/);
  });

  it('a refused token: exit 1, the token never printed, even where a mistake would echo it', async () => {
    const run = await fail(['--token', 'wrong-merchant-token', 'merchants', 'get-settings']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^connect: .+ \(401 from GET \/merchants\/settings\)\nCheck the token: REPORTEI_CONNECT_TOKEN or --token/);
    // Commander quotes the bad value of --per-page: here, the token.
    const echoed = await fail(['customers', 'list', '--per-page', box.sandbox.merchantToken]);
    expect(echoed.code).toBe(2);
    expect(echoed.stderr).toContain("argument '[redacted]' is invalid");
  });

  it('no server at --base-url: exit 1, saying what to check', async () => {
    const run = await fail(['--base-url', 'http://127.0.0.1:9/api', 'merchants', 'get-settings']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Check --base-url (or REPORTEI_CONNECT_BASE_URL)');
  });

  it.each([
    ['no merchant token', [['customers', 'list'], { REPORTEI_CONNECT_BASE_URL: 'http://127.0.0.1:9/api' }], 'connect: no merchant token: set REPORTEI_CONNECT_TOKEN or pass --token <token> (or --sandbox for the local sandbox).\n'],
    ['no customer token', [['customer-integrations', 'list'], { REPORTEI_CONNECT_TOKEN: 'a-merchant-token', REPORTEI_CONNECT_BASE_URL: 'http://127.0.0.1:9/api' }], /^connect: this command acts as a customer: set REPORTEI_CONNECT_CUSTOMER_TOKEN or pass --customer-token <token>/],
    ['an unknown command', [['customers', 'lst']], /^error: unknown command 'lst'\n\(Did you mean list\?\)/],
    ['a missing path flag', [['customers', 'get']], "error: required option '--uuid <value>' not specified\n"],
    ['a value of the wrong kind', [['customers', 'list', '--per-page', 'many']], "error: option '--per-page <integer>' argument 'many' is invalid. Expected an integer.\n"],
    ['--data that is not JSON', [['customers', 'create', '--data', '{name}']], /^connect: --data is not JSON: /],
    ['--data naming a missing file', [['customers', 'create', '--data', '@/nonexistent/body.json']], 'connect: --data @/nonexistent/body.json: cannot read the file /nonexistent/body.json (ENOENT).\n'],
    ['an unknown metric', [['metrics', 'get-data', '--metric', 'ig:rech']], /^connect: --metric ig:rech: .*Did you mean "ig:reach"/],
    ['a shell without completion', [['completion', 'tcsh']], 'connect: no completion for "tcsh": choose bash, zsh, fish.\n'],
  ] as const)('%s is a usage error: exit 2, one message', async (_, [args, env], message) => {
    const run = await fail([...args], env ?? box.env);
    expect(run.code).toBe(2);
    if (typeof message === 'string') expect(run.stderr).toBe(message);
    else expect(run.stderr).toMatch(message);
  });
});

describe('the generated table', () => {
  it('every operation has been run above, each as its command', () => {
    const operations = commandGroups.flatMap((group) => group.commands.map((command) => command.operationId));
    expect(operations.filter((id) => id !== 'getMetricsDataAsync' && !covered.has(id))).toEqual([]);
    // getMetricsDataAsync is run by webhooks.test.ts, with the listener its webhook goes to.
    expect(operations).toContain('getMetricsDataAsync');
  });
});
