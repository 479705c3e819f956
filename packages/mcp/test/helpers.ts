// What the server's tests share: a sandbox served over HTTP in this process, and the built
// `connect-mcp` driven by the MCP SDK's own client, over stdio as an MCP client starts it.
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { createSandbox, type RunningSandbox, type Sandbox } from '@reportei-connect/sandbox';

export const BIN = fileURLToPath(new URL('../bin/connect-mcp.js', import.meta.url));

/** The sandbox of a test file, over HTTP on a free loopback port. */
export interface TestSandbox {
  sandbox: Sandbox;
  server: RunningSandbox;
  /** The REPORTEI_CONNECT_* variables the server reads, for this sandbox: its address, merchant and demo customer. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startSandbox(): Promise<TestSandbox> {
  // getMetricsDataAsync's webhooks are answered here, so that none leaves the process.
  const sandbox = createSandbox({ webhooks: { delayMs: 0, fetch: async () => new Response(null, { status: 204 }) } });
  const server = await sandbox.listen({ port: 0 });
  return {
    sandbox,
    server,
    env: { ...server.env },
    close: async () => {
      await server.close();
      await sandbox.close();
    },
  };
}

/** A running `connect-mcp` and the SDK client connected to it. */
export interface TestServer {
  client: Client;
  /** Everything the server has printed on stderr so far. */
  stderr(): string;
  /** Calls a tool: its text, and whether it is an error. */
  call(name: string, input?: Record<string, unknown>): Promise<{ isError: boolean; text: string }>;
  close(): Promise<void>;
}

/**
 * Starts `connect-mcp args...` as an MCP client does (a child process on stdio, with only `env` and
 * the SDK's few safe variables, so a developer's REPORTEI_CONNECT_* never leak in), and connects.
 */
export async function startServer(args: readonly string[], env: Record<string, string>): Promise<TestServer> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, ...args], env, stderr: 'pipe' });
  let stderr = '';
  (transport.stderr as Readable).setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const client = new Client({ name: 'connect-mcp-tests', version: '1.0.0' });
  await client.connect(transport);
  return {
    client,
    stderr: () => stderr,
    async call(name, input = {}) {
      const result = await client.callTool({ name, arguments: input });
      const content = result.content as { type: string; text: string }[];
      return { isError: result.isError === true, text: content.map((part) => part.text).join('\n') };
    },
    close: () => client.close(),
  };
}
