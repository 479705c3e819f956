// The tools the server offers (the generated operation tools and searchMetrics, narrowed by
// --read-only and --tools) and what calling one does: the operation through @reportei-connect/client,
// as the merchant or as the customer the input names, its result as token-free JSON text, cut to size.
import { type ConnectClient, createConnectClient, type CustomerClient } from '@reportei-connect/client';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { errorText, ToolError } from './errors.js';
import { customerField, operationTools } from './generated/tools.js';
import { SEARCH_METRICS, searchMetrics, searchMetricsTool, withCatalogueMetrics, type MetricSearch } from './metrics.js';
import type { OperationTool } from './tool-table.js';
import { TokenKeeper } from './tokens.js';

export interface ToolOptions {
  /** Prints a line of the server's log (stderr): never a token. */
  log: (line: string) => void;
  merchantToken: string;
  baseUrl: string | undefined;
  /** `--customer-tokens`. */
  customerTokensFile?: string | undefined;
  /** `REPORTEI_CONNECT_CUSTOMER_TOKEN`. */
  customerToken?: string | undefined;
  readOnly: boolean;
  /** `--tools`: only these. */
  only?: readonly string[] | undefined;
  maxResultChars: number;
}

/** Every tool the server can offer, by name. */
const allTools: ReadonlyMap<string, OperationTool | typeof searchMetricsTool> = new Map([...operationTools, searchMetricsTool].map((tool) => [tool.name, tool]));

/** The names `--tools` may give, for its error message. */
export const toolNames = (): string[] => [...allTools.keys()];

/** What a result over the limit should ask for instead, by the kind of tool. */
function askForLess(tool: OperationTool | typeof searchMetricsTool): string {
  if (tool.name === SEARCH_METRICS) return 'a narrower query, a network, or a smaller limit';
  if ('paginated' in tool && tool.paginated) return 'a smaller per_page, then the next page';
  if ('metricsField' in tool && tool.metricsField) return `fewer ${tool.metricsField} or a shorter period`;
  return 'less at a time';
}

/** The text of a result: whole, or its first `max` characters and a note saying how to ask for less. */
function sized(text: string, max: number, tool: OperationTool | typeof searchMetricsTool): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}\n\n[connect-mcp cut this result at ${max} of its ${text.length} characters (--max-result-chars). Ask for ${askForLess(tool)}.]`;
}

export interface ToolSet {
  /** The tools offered, as tools/list answers them. */
  list: Tool[];
  /** Calls one: a result, `isError` when it failed; never throws for the API's errors. */
  call(name: string, input: Record<string, unknown> | undefined): Promise<CallToolResult>;
  /** `text` without any token the server holds, for its own log lines. */
  scrub(text: string): string;
}

/**
 * The tools as `options` narrow them, or an Error naming what `--tools` got wrong. One set serves every
 * session of the process, so that a customer created in one is known to the next.
 */
export function createToolSet(options: ToolOptions): ToolSet {
  const unknown = (options.only ?? []).filter((name) => !allTools.has(name));
  if (unknown.length > 0) throw new Error(`--tools: no tool named ${unknown.join(', ')}; the tools are ${toolNames().join(', ')}.`);
  const offered = [...allTools.values()].filter((tool) => (!options.readOnly || tool.annotations.readOnlyHint) && (!options.only || options.only.includes(tool.name)));
  const merchant = createConnectClient({ token: options.merchantToken, baseUrl: options.baseUrl });
  const customers = new Map<string, CustomerClient>();
  const asCustomer = (token: string) => {
    let client = customers.get(token);
    if (!client) customers.set(token, (client = merchant.forCustomer(token)));
    return client;
  };
  const tokens = new TokenKeeper(options.merchantToken, {
    file: options.customerTokensFile,
    log: options.log,
    environmentToken: options.customerToken,
    uuidOf: async (token) => (await asCustomer(token).getCustomerSettings()).customer.uuid,
  });

  async function callOperation(tool: OperationTool, input: Record<string, unknown>): Promise<unknown> {
    const { [customerField]: customer, ...fields } = input;
    let client: ConnectClient | CustomerClient = merchant;
    if (tool.customerScoped) {
      if (typeof customer !== 'string' || customer === '') throw new ToolError(`${tool.name} acts as a customer: give its ${customerField} (listCustomers lists them).`);
      client = asCustomer(await tokens.customerToken(customer));
    }
    if (tool.metricsField) fields[tool.metricsField] = withCatalogueMetrics(fields[tool.metricsField]);
    const method = (client as unknown as Record<string, (params?: object) => Promise<unknown>>)[tool.name];
    if (!method) throw new ToolError(`${tool.name} is not an operation of this version of @reportei-connect/client; install the versions released together.`);
    return method(fields);
  }

  return {
    list: offered.map(({ name, title, description, inputSchema, annotations }) => ({ name, title, description, inputSchema: inputSchema as Tool['inputSchema'], annotations })),
    scrub: (text) => tokens.scrub(text),
    async call(name, input = {}) {
      const tool = offered.find((candidate) => candidate.name === name);
      if (!tool) {
        const why = allTools.has(name) ? 'is not offered by this server (--read-only or --tools leave it out)' : 'does not exist';
        return { isError: true, content: [{ type: 'text', text: `The tool ${name} ${why}; tools/list gives the tools there are.` }] };
      }
      try {
        const result = tool.name === SEARCH_METRICS ? searchMetrics(input as unknown as MetricSearch) : await callOperation(tool as OperationTool, input);
        return { content: [{ type: 'text', text: sized(tokens.json(result), options.maxResultChars, tool) }] };
      } catch (error) {
        return { isError: true, content: [{ type: 'text', text: tokens.scrub(errorText(error)) }] };
      }
    },
  };
}
