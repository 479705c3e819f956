// The built server over stdio against a sandbox, driven by the MCP SDK's client: its tools are the
// spec's operations and searchMetrics, their input schemas hold, every tool answers, errors are tool
// results with the client's message, and no token ever reaches the model or the log.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listOperations, loadDocument } from '@reportei-connect/spec-model';
import { Ajv2020 } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, startServer, type TestSandbox, type TestServer } from './helpers.js';

const document = loadDocument(createRequire(import.meta.url).resolve('@reportei-connect/openapi/openapi.json'));
const operations = listOperations(document);

let box: TestSandbox;
let server: TestServer;
let dir: string;
let tokensFile: string;
/** Every text a tool answered: none may hold a token. */
const answers: string[] = [];
/** The tools that answered a valid input without an error. */
const covered = new Set<string>();

beforeAll(async () => {
  box = await startSandbox();
  dir = mkdtempSync(join(tmpdir(), 'connect-mcp-'));
  tokensFile = join(dir, 'customer-tokens.json');
  server = await startServer(['--customer-tokens', tokensFile], box.env);
});

afterAll(async () => {
  await server?.close();
  await box?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Calls a tool; its answer parsed, after checking it is not an error. */
async function call(name: string, input: Record<string, unknown> = {}): Promise<any> {
  const { isError, text } = await server.call(name, input);
  answers.push(text);
  expect(isError, text).toBe(false);
  covered.add(name);
  return JSON.parse(text);
}

/** Calls a tool that must fail: its text. */
async function fail(name: string, input: Record<string, unknown>): Promise<string> {
  const { isError, text } = await server.call(name, input);
  answers.push(text);
  expect(isError, text).toBe(true);
  expect(text).not.toMatch(/^\s+at /m);
  return text;
}

describe('the tool list', () => {
  it('has one tool per operation of the spec, and searchMetrics', async () => {
    const { tools } = await server.client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([...operations.map((operation) => operation.id), 'searchMetrics'].sort());
    for (const operation of operations) {
      const tool = tools.find((candidate) => candidate.name === operation.id);
      expect(tool?.annotations).toMatchObject({ readOnlyHint: !operation.changesState, destructiveHint: operation.method === 'DELETE', idempotentHint: operation.retryable });
      expect(tool?.description).toContain(operation.summary);
    }
  });

  it("every input schema compiles with Ajv 2020 and accepts the spec's request examples", async () => {
    const { tools } = await server.client.listTools();
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    ajvFormats.default(ajv);
    let examples = 0;
    for (const tool of tools) {
      const validate = ajv.compile(tool.inputSchema);
      const operation = operations.find((candidate) => candidate.id === tool.name);
      // The fields an example of the body leaves to the path, the query and the customer.
      const around = Object.fromEntries((tool.inputSchema.required ?? []).map((field) => [field, field === 'customer_uuid' || field === 'uuid' ? box.sandbox.demo.uuid : 'x']));
      for (const example of Object.values(operation?.requestBody?.examples ?? {})) {
        examples += 1;
        expect(validate({ ...around, ...(example as object) }), `${tool.name}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      }
    }
    expect(examples).toBeGreaterThan(0);
  });
});

describe('calls', () => {
  it('getMerchantSettings and listCustomers, which answers one page and its meta', async () => {
    expect((await call('getMerchantSettings')).merchant.name).toBe('Sandbox Merchant');
    const page = await call('listCustomers', { page: 1, per_page: 1 });
    expect(page.data).toHaveLength(1);
    expect(page.meta).toMatchObject({ current_page: 1, per_page: 1 });
  });

  it('a customer created through createCustomer is used by uuid in the next calls, its token kept in the file only', async () => {
    const { customer } = await call('createCustomer', { name: 'Acme' });
    expect(customer.api_token).toBe('[token held by connect-mcp]');
    const held = JSON.parse(readFileSync(tokensFile, 'utf8')) as Record<string, string>;
    expect(Object.keys(held)).toEqual([customer.uuid]);
    expect(statSync(tokensFile).mode & 0o777).toBe(0o600);

    expect((await call('getCustomerSettings', { customer_uuid: customer.uuid })).customer.uuid).toBe(customer.uuid);
    expect((await call('getCustomer', { uuid: customer.uuid })).customer.name).toBe('Acme');
    expect((await call('updateCustomer', { uuid: customer.uuid, name: 'Acme Inc.' })).customer.name).toBe('Acme Inc.');
    expect((await call('updateCustomerPaymentStatus', { uuid: customer.uuid, is_paying: true })).message).toMatch(/paying/);
    const { integration_session: session } = await call('createIntegrationSession', { customer_uuid: customer.uuid, locale: 'en' });
    const integration = box.sandbox.connectIntegration(customer.uuid, 'youtube');
    const list = await call('listCustomerIntegrations', { customer_uuid: customer.uuid, per_page: 10 });
    expect(list.data.map((each: { uuid: string }) => each.uuid)).toEqual([integration]);
    expect((await call('getCustomerIntegration', { customer_uuid: customer.uuid, uuid: integration })).customer_integration.uuid).toBe(integration);
    await call('deleteCustomerIntegration', { customer_uuid: customer.uuid, uuid: integration, session_id: session.session_uuid });
    await call('deleteCustomer', { uuid: customer.uuid });

    // Its token is now refused: a 401, as a tool error with the client's message.
    const refused = await fail('getCustomerSettings', { customer_uuid: customer.uuid });
    expect(refused).toMatch(/\(401 from GET \/customers\/settings\)\n/);
    expect(refused).toContain('Do not ask the user for a token');
  });

  it('getMetricsData takes catalogue reference keys alone, for the customer of REPORTEI_CONNECT_CUSTOMER_TOKEN', async () => {
    const input = { customer_uuid: box.sandbox.demo.uuid, customer_integration: box.sandbox.integration, start: '2025-01-01', end: '2025-01-31' };
    const results = await call('getMetricsData', { ...input, metrics: ['ig:reach', 'ig:followers_city'] });
    expect(Object.keys(results).sort()).toEqual(['ig:followers_city', 'ig:reach']);
    expect(typeof results['ig:reach'].values).toBe('number');
    const accepted = await call('getMetricsDataAsync', { ...input, metrics: ['ig:reach'], metrics_webhook_url: 'http://127.0.0.1:9/metrics-webhook' });
    expect(accepted).toBeTypeOf('object');
  });

  it('searchMetrics finds reference keys by words, within a network', async () => {
    const { metrics, total } = await call('searchMetrics', { query: 'reach', network: 'instagram_business', limit: 2 });
    expect(metrics).toEqual([
      { reference_key: 'ig:reach', component: 'number_v1', description: 'Instagram Business: Reach' },
      expect.objectContaining({ reference_key: expect.stringMatching(/^ig:/) }),
    ]);
    expect(total).toBeGreaterThan(2);
  });

  it('every tool has answered a valid input', () => {
    expect([...operations.map((operation) => operation.id), 'searchMetrics'].filter((name) => !covered.has(name))).toEqual([]);
  });
});

describe('errors are tool results, saying what to do', () => {
  it("a 422: the client's message, then each invalid field", async () => {
    const stranger = (await call('createCustomer', { name: 'Not the demo' })).customer;
    const text = await fail('getMetricsData', { customer_uuid: box.sandbox.demo.uuid, customer_integration: stranger.uuid, start: '2025-01-01', end: '2025-01-31', metrics: ['ig:reach'] });
    expect(text).toMatch(/^.+ \(422 from POST \/metrics\/get-data\)\n {2}customer_integration: .+/);
  });

  it('a customer whose token the server lacks: how to provide it', async () => {
    const text = await fail('listCustomerIntegrations', { customer_uuid: '00000000-0000-4000-8000-000000000000' });
    expect(text).toMatch(/^connect-mcp holds no token for customer 00000000-0000-4000-8000-000000000000\. .*--customer-tokens <file>.*REPORTEI_CONNECT_CUSTOMER_TOKEN/);
  });

  it('searchMetrics without words, or in a network there is not: what to give instead', async () => {
    expect(await fail('searchMetrics', { query: ' ' })).toBe('searchMetrics needs a query: words such as "reach" or "followers by city".');
    expect(await fail('searchMetrics', { query: 'reach', network: 'myspace' })).toMatch(/^searchMetrics: no network "myspace"; the networks are active_campaign, /);
  });

  it('an unknown reference key: the catalogue names the closest', async () => {
    const text = await fail('getMetricsData', { customer_uuid: box.sandbox.demo.uuid, customer_integration: box.sandbox.integration, start: '2025-01-01', end: '2025-01-31', metrics: ['ig:rech'] });
    expect(text).toMatch(/unknown reference key "ig:rech"\. Did you mean "ig:reach"/);
  });
});

describe('tokens', () => {
  it('none appears in any tool result or in what the server logged', () => {
    const tokens = [box.sandbox.merchantToken, box.sandbox.customerToken, ...Object.values(JSON.parse(readFileSync(tokensFile, 'utf8')) as Record<string, string>)];
    expect(tokens.length).toBeGreaterThan(3);
    expect(answers.length).toBeGreaterThan(15);
    for (const token of tokens) {
      for (const answer of answers) expect(answer).not.toContain(token);
      expect(server.stderr()).not.toContain(token);
    }
    expect(server.stderr()).toBe(`connect-mcp: ${operations.length + 1} tools over stdio\n`);
  });
});
