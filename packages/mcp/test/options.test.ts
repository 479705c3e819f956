// The options that narrow and size what the server offers, and its Streamable HTTP transport.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { listOperations, loadDocument } from '@reportei-connect/spec-model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, startSandbox, startServer, type TestSandbox, type TestServer } from './helpers.js';

const operations = listOperations(loadDocument(createRequire(import.meta.url).resolve('@reportei-connect/openapi/openapi.json')));

let box: TestSandbox;
let readOnly: TestServer;

beforeAll(async () => {
  box = await startSandbox();
  readOnly = await startServer(['--read-only', '--max-result-chars', '300'], box.env);
});

afterAll(async () => {
  await readOnly?.close();
  await box?.close();
});

describe('--read-only', () => {
  it('offers the tools that change nothing, and searchMetrics', async () => {
    const { tools } = await readOnly.client.listTools();
    const reads = operations.filter((operation) => !operation.changesState).map((operation) => operation.id);
    expect(tools.map((tool) => tool.name).sort()).toEqual([...reads, 'searchMetrics'].sort());
    expect(reads).toContain('getMetricsData');
  });

  it('refuses a write, as a tool error naming why', async () => {
    const { isError, text } = await readOnly.call('createCustomer', { name: 'Nope' });
    expect(isError).toBe(true);
    expect(text).toBe('The tool createCustomer is not offered by this server (--read-only or --tools leave it out); tools/list gives the tools there are.');
  });
});

describe('--max-result-chars', () => {
  it('cuts a longer result, saying how to ask for less', async () => {
    const { isError, text } = await readOnly.call('listCustomers', { per_page: 20 });
    expect(isError).toBe(false);
    expect(text).toMatch(/^\{"data":\[.{290,}\n\n\[connect-mcp cut this result at 300 of its \d+ characters \(--max-result-chars\)\. Ask for a smaller per_page, then the next page\.\]$/s);
    expect(text.indexOf('\n\n[connect-mcp')).toBe(300);
    const short = await readOnly.call('searchMetrics', { query: 'reach', network: 'instagram_business', limit: 1 });
    expect(JSON.parse(short.text).metrics).toHaveLength(1);
  });
});

describe('--http --port with --tools, and a --customer-tokens file that cannot be written', () => {
  let child: ChildProcess;
  let client: Client;
  let url: URL;
  /** What the server has printed on stderr. */
  let stderr = '';

  beforeAll(async () => {
    const tools = 'searchMetrics,getMerchantSettings,createCustomer,getCustomerSettings';
    child = spawn(process.execPath, [BIN, '--http', '--port', '0', '--tools', tools, '--customer-tokens', '/nonexistent/customer-tokens.json'], { env: { PATH: process.env.PATH ?? '', ...box.env }, stdio: ['ignore', 'ignore', 'pipe'] });
    // The server says where it listens once it does: port 0 picks a free one.
    const line = await new Promise<string>((resolve, reject) => {
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
        if (stderr.includes('\n')) resolve(stderr);
      });
      child.once('exit', (code) => reject(new Error(`connect-mcp exited (${code}): ${stderr}`)));
    });
    const match = /^connect-mcp: 4 tools over Streamable HTTP on (http:\/\/127\.0\.0\.1:\d+\/mcp)\n$/.exec(line);
    expect(match, line).not.toBeNull();
    url = new URL(match?.[1] as string);
    client = new Client({ name: 'connect-mcp-tests', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(url));
  });

  afterAll(async () => {
    await client?.close();
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('serves only the tools named, on loopback', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(['createCustomer', 'getCustomerSettings', 'getMerchantSettings', 'searchMetrics']);
    const result = await client.callTool({ name: 'getMerchantSettings', arguments: {} });
    const [content] = result.content as { text: string }[];
    expect(JSON.parse(content?.text ?? '').merchant.name).toBe('Sandbox Merchant');
  });

  it("keeps a created customer's token in memory when the file cannot be written, and says so on stderr", async () => {
    const text = async (name: string, input: Record<string, unknown>) => ((await client.callTool({ name, arguments: input })).content as { text: string }[])[0]?.text ?? '';
    const { customer } = JSON.parse(await text('createCustomer', { name: 'Unsaved' }));
    expect(JSON.parse(await text('getCustomerSettings', { customer_uuid: customer.uuid })).customer.uuid).toBe(customer.uuid);
    expect(stderr).toContain(`connect-mcp: could not write --customer-tokens /nonexistent/customer-tokens.json (ENOENT`);
    expect(stderr).toContain(`the token of customer ${customer.uuid} is held only until the server stops.\n`);
  });

  it('refuses a Host other than the loopback address it listens on', async () => {
    // fetch sends the Host of its URL whatever it is given: node:http sends the one named.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const request = httpRequest(url, { method: 'POST', headers: { host: 'attacker.example', 'content-type': 'application/json', accept: 'application/json, text/event-stream' } }, (response) => {
        response.resume();
        resolve(response.statusCode);
      });
      request.once('error', reject);
      request.end(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }));
    });
    expect(status).toBe(403);
  });
});

describe('mistakes in the options', () => {
  it.concurrent.each([
    [['--tools', 'listThings'], {}, /^connect-mcp: --tools: no tool named listThings; the tools are getMerchantSettings, /],
    [['--port', '80'], {}, /^connect-mcp: --port goes with --http/],
    [['--max-result-chars', 'lots'], {}, /^connect-mcp: --max-result-chars takes a whole number from 100, got "lots"\./],
    [[], { REPORTEI_CONNECT_TOKEN: '' }, /^connect-mcp: no merchant token: set REPORTEI_CONNECT_TOKEN/],
  ] as const)('%j: exit 2, one message', async (args, env, message) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', ...box.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise((resolve) => child.once('close', resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});

describe('the MCP Inspector', () => {
  it("runs the README's commands in its command-line mode (0.15.0, the last version that runs on Node.js 20)", async () => {
    const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
    const section = readme.slice(readme.indexOf('## The MCP Inspector'));
    const commands = (/```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '').trim().split('\n');
    expect(commands).toHaveLength(2);
    const inspector = createRequire(import.meta.url).resolve('@modelcontextprotocol/inspector-cli/build/index.js');
    const outputs = await Promise.all(
      commands.map((command) => {
        // The installed package stands for npx's, and the built bin for an installed connect-mcp.
        const [npx, pkg, bin, ...args] = command.split(' ');
        expect([npx, pkg, bin]).toEqual(['npx', '@modelcontextprotocol/inspector-cli@0.15.0', 'connect-mcp']);
        return new Promise<string>((resolve, reject) =>
          execFile(process.execPath, [inspector, process.execPath, BIN, ...args], { env: { PATH: process.env.PATH ?? '', ...box.env } }, (error, out, err) =>
            error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out),
          ),
        );
      }),
    );
    const names = (JSON.parse(outputs[0] ?? '') as { tools: { name: string }[] }).tools.map((tool) => tool.name);
    expect(names.sort()).toEqual([...operations.map((operation) => operation.id), 'searchMetrics'].sort());
    const [found] = (JSON.parse(outputs[1] ?? '') as { content: { text: string }[] }).content;
    expect(JSON.parse(found?.text ?? '').metrics.length).toBeGreaterThan(0);
  });
});
