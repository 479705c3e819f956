// The README's configuration block starts the server as an MCP client would, and its transcript is a
// session this test runs: the same calls, the same answers but for ids and times.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { API_PREFIX, DEFAULT_HOST, DEFAULT_MERCHANT_TOKEN, DEFAULT_PORT } from '@reportei-connect/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, startServer, type TestSandbox, type TestServer } from './helpers.js';

const read = (path: string) => readFileSync(fileURLToPath(new URL(path, import.meta.url)), 'utf8');
const readme = read('../README.md');
const blocks = (markdown: string, lang: string) => [...markdown.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((match) => match[1] as string);

/** The configuration an MCP client is given: the README's only JSON block. */
const [configText] = blocks(readme, 'json');
const config = JSON.parse(configText ?? '{}') as { mcpServers: Record<string, { command: string; args: string[]; env: Record<string, string> }> };
const [entry] = Object.values(config.mcpServers ?? {});

let box: TestSandbox;
let server: TestServer;

beforeAll(async () => {
  box = await startSandbox();
  // As the configuration says, but for two things: the built bin stands for `npx -y
  // @reportei-connect/mcp` (nothing is on npm yet), and this test's sandbox, on a free port, for the
  // one `pnpm sandbox` starts on 4011, with its demo customer's token for the placeholder.
  server = await startServer([], { ...entry?.env, REPORTEI_CONNECT_BASE_URL: box.server.baseUrl, REPORTEI_CONNECT_CUSTOMER_TOKEN: box.sandbox.customerToken });
});

afterAll(async () => {
  await server?.close();
  await box?.close();
});

/** Ids, times and lengths (the page links name the port), which differ from run to run, as placeholders. */
const normalize = (text: string) => text.replace(/\(\d+ characters\)/g, '(<n> characters)').replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>').replace(/\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d/g, '<time>');

/** At most this many characters of each answer are shown: the model reads them whole. */
const SHOWN = 300;

/** The agent's session: the calls an assistant makes to answer the user's question, as a transcript. */
async function session(): Promise<string> {
  const lines = ['user   What was the Instagram reach of the Demo Customer in January 2025?'];
  const call = async (name: string, input: Record<string, unknown>) => {
    const { isError, text } = await server.call(name, input);
    expect(isError, text).toBe(false);
    lines.push(`tool   ${name} ${JSON.stringify(input)}`, `result ${text.length > SHOWN ? `${text.slice(0, SHOWN)}… (${text.length} characters)` : text}`);
    return JSON.parse(text);
  };
  const customers = await call('listCustomers', { per_page: 5 });
  const demo = customers.data.find((customer: { name: string }) => customer.name === 'Demo Customer');
  const settings = await call('getCustomerSettings', { customer_uuid: demo.uuid });
  const instagram = settings.customer.integrations.find((integration: { slug: string }) => integration.slug === 'instagram_business');
  await call('searchMetrics', { query: 'reach', network: 'instagram_business', limit: 3 });
  const results = await call('getMetricsData', { customer_uuid: demo.uuid, customer_integration: instagram.uuid, start: '2025-01-01', end: '2025-01-31', metrics: ['ig:reach'] });
  lines.push(`agent  The Demo Customer's Instagram Business account reached ${results['ig:reach'].values.toLocaleString('en')} accounts in January 2025.`);
  return `${lines.join('\n')}\n`;
}

describe('README', () => {
  it("configures the sandbox's server with the sandbox's lines, as the docs site's guide does", () => {
    expect(blocks(read('../../../spec/guides/mcp.md'), 'json')).toEqual([configText]);
    expect(entry).toMatchObject({ command: 'npx', args: ['-y', JSON.parse(read('../package.json')).name] });
    expect(entry?.env).toMatchObject({ REPORTEI_CONNECT_BASE_URL: `http://${DEFAULT_HOST}:${DEFAULT_PORT}${API_PREFIX}`, REPORTEI_CONNECT_TOKEN: DEFAULT_MERCHANT_TOKEN });
    expect(Object.keys(entry?.env ?? {}).sort()).toEqual(['REPORTEI_CONNECT_BASE_URL', 'REPORTEI_CONNECT_CUSTOMER_TOKEN', 'REPORTEI_CONNECT_TOKEN']);
  });

  it('shows a session this server answers, reading a metric', async () => {
    const transcript = await session();
    const [shown] = blocks(readme, 'text').filter((block) => block.startsWith('user '));
    expect(normalize(shown ?? '')).toBe(normalize(transcript));
  });
});
