// `connect-mcp`: the Reportei Connect API as an MCP server, over stdio (the default) or Streamable HTTP
// on 127.0.0.1 (`--http --port <n>`). The tools come from the generated table (src/generated/tools.ts);
// tokens come from the environment and a file, never from the model. Exit status: 2 for a mistake in
// the options or the environment, said in one line on stderr; otherwise the server runs until its
// input closes (stdio) or it is stopped.
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { parseArgs } from 'node:util';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { createToolSet, type ToolSet } from './tools.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

const DEFAULT_MAX_RESULT_CHARS = 25_000;
const HOST = '127.0.0.1';

const USAGE = `Usage: connect-mcp [options]

The Reportei Connect API as MCP tools: one per operation of its OpenAPI document, and searchMetrics.

Options:
  --http                       serve Streamable HTTP on http://${HOST}:<port>/mcp instead of stdio
  --port <n>                   the port of --http (default 3333; 0 picks a free one)
  --read-only                  offer only the tools that change nothing
  --tools <a,b,...>            offer only these tools
  --max-result-chars <n>       cut longer results, saying how to ask for less (default ${DEFAULT_MAX_RESULT_CHARS})
  --customer-tokens <file>     a JSON object of customer uuid to token; the tokens of customers created
                               through createCustomer are added to it (readable by its owner only)
  -h, --help                   this text
  -v, --version                the version

Environment:
  REPORTEI_CONNECT_TOKEN            the merchant token (required)
  REPORTEI_CONNECT_BASE_URL         the API (default: https://connect.reportei.com/api)
  REPORTEI_CONNECT_CUSTOMER_TOKEN   one customer's token, for its customer-scoped tools
`;

class UsageError extends Error {}

/** A whole number from the command line, or a UsageError naming the option. */
function wholeNumber(option: string, text: string | undefined, fallback: number, minimum: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < minimum) throw new UsageError(`${option} takes a whole number from ${minimum}, got "${text}".`);
  return value;
}

function parseOptions(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      http: { type: 'boolean' },
      port: { type: 'string' },
      'read-only': { type: 'boolean' },
      tools: { type: 'string' },
      'max-result-chars': { type: 'string' },
      'customer-tokens': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
  const port = wholeNumber('--port', values.port, 3333, 0);
  if (port > 65535) throw new UsageError(`--port takes a number from 0 to 65535, got "${values.port}".`);
  if (values.port !== undefined && !values.http) throw new UsageError('--port goes with --http: without it the server speaks stdio.');
  const only = values.tools?.split(',').map((name) => name.trim()).filter(Boolean);
  if (only?.length === 0) throw new UsageError('--tools takes tool names separated by commas, such as --tools searchMetrics,getMetricsData.');
  return {
    help: values.help === true,
    version: values.version === true,
    http: values.http === true,
    port,
    readOnly: values['read-only'] === true,
    only,
    maxResultChars: wholeNumber('--max-result-chars', values['max-result-chars'], DEFAULT_MAX_RESULT_CHARS, 100),
    customerTokensFile: values['customer-tokens'],
  };
}

/** An MCP server over the tool set: tools/list and tools/call. */
function mcpServer(tools: ToolSet): Server {
  const server = new Server({ name: 'connect-mcp', version }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: tools.list }));
  server.setRequestHandler(CallToolRequestSchema, (request) => tools.call(request.params.name, request.params.arguments));
  return server;
}

/**
 * Streamable HTTP on 127.0.0.1, stateless: each request gets a server and a transport of its own over
 * the one tool set, so no session is kept but the customers' tokens are. The Host header must name the
 * loopback address, so that a web page cannot reach the server through DNS rebinding.
 */
function serveHttp(tools: ToolSet, port: number, log: (line: string) => void): void {
  const http = createHttpServer((request, response) => {
    if (new URL(request.url ?? '/', `http://${HOST}`).pathname !== '/mcp') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('connect-mcp answers on /mcp only.\n');
      return;
    }
    const address = http.address();
    const actualPort = typeof address === 'object' && address ? address.port : port;
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
      enableDnsRebindingProtection: true,
      allowedHosts: [`${HOST}:${actualPort}`, `localhost:${actualPort}`],
    });
    const server = mcpServer(tools);
    response.on('close', () => {
      void transport.close();
      void server.close();
    });
    server
      .connect(transport)
      .then(() => transport.handleRequest(request, response))
      .catch((error: unknown) => {
        log(`connect-mcp: a request failed: ${tools.scrub(error instanceof Error ? error.message : String(error))}`);
        if (!response.headersSent) response.writeHead(500).end();
      });
  });
  http.listen(port, HOST, () => {
    const address = http.address();
    log(`connect-mcp: ${tools.list.length} tools over Streamable HTTP on http://${HOST}:${typeof address === 'object' && address ? address.port : port}/mcp`);
  });
}

async function main(): Promise<number> {
  const log = (line: string) => void process.stderr.write(`${line}\n`);
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    log(`connect-mcp: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help || options.version) {
    process.stdout.write(options.help ? USAGE : `${version}\n`);
    return 0;
  }
  const merchantToken = process.env.REPORTEI_CONNECT_TOKEN;
  if (!merchantToken) {
    log('connect-mcp: no merchant token: set REPORTEI_CONNECT_TOKEN in the environment the MCP client starts the server with (its "env" block).');
    return 2;
  }
  let tools: ToolSet;
  try {
    tools = createToolSet({
      log,
      merchantToken,
      baseUrl: process.env.REPORTEI_CONNECT_BASE_URL || undefined,
      customerToken: process.env.REPORTEI_CONNECT_CUSTOMER_TOKEN || undefined,
      customerTokensFile: options.customerTokensFile,
      readOnly: options.readOnly,
      only: options.only,
      maxResultChars: options.maxResultChars,
    });
  } catch (error) {
    log(`connect-mcp: ${(error as Error).message}`);
    return 2;
  }
  if (options.http) {
    serveHttp(tools, options.port, log);
    return 0;
  }
  await mcpServer(tools).connect(new StdioServerTransport());
  log(`connect-mcp: ${tools.list.length} tools over stdio`);
  return 0;
}

process.exitCode = await main();
