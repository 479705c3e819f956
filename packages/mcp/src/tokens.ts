// The tokens the server holds so that the model never sees one: the merchant's, from the environment,
// and customers' by uuid, from a file, from the environment, and from createCustomer's answers while it
// runs. Every result passes through `json` before the model reads it.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { ToolError } from './errors.js';

/** What the model reads in place of any token. */
export const TOKEN_PLACEHOLDER = '[token held by connect-mcp]';

export interface CustomerTokenOptions {
  /** The `--customer-tokens` file: a JSON object of customer uuid to token, written back when a customer is created. */
  file?: string | undefined;
  /** `REPORTEI_CONNECT_CUSTOMER_TOKEN`: one customer's token, whose uuid the server asks the API for when first needed. */
  environmentToken?: string | undefined;
  /** The uuid of the customer whose token `token` is (getCustomerSettings as that customer). */
  uuidOf: (token: string) => Promise<string>;
  /** Prints a line of the server's log (stderr). */
  log: (line: string) => void;
}

/** Reads the `--customer-tokens` file: missing is empty; anything but an object of strings is a mistake to fix. */
function readTokenFile(file: string): Map<string, string> {
  if (!existsSync(file)) return new Map();
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`--customer-tokens ${file}: not JSON (${(error as Error).message}); it holds an object of customer uuid to token, such as {"<uuid>": "<token>"}.`);
  }
  const entries = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? Object.entries(parsed) : undefined;
  if (!entries || entries.some(([, token]) => typeof token !== 'string' || token === '')) {
    throw new Error(`--customer-tokens ${file}: it must hold an object of customer uuid to token (a non-empty string), such as {"<uuid>": "<token>"}.`);
  }
  return new Map(entries as [string, string][]);
}

export class TokenKeeper {
  readonly #merchantToken: string;
  readonly #customers: Map<string, string>;
  readonly #options: CustomerTokenOptions;
  /** Set once the environment's customer token has been looked up: its uuid, or why it could not be. */
  #environmentLookup: Promise<string | undefined> | undefined;
  #environmentProblem: string | undefined;

  constructor(merchantToken: string, options: CustomerTokenOptions) {
    this.#merchantToken = merchantToken;
    this.#options = options;
    this.#customers = options.file ? readTokenFile(options.file) : new Map();
  }

  get merchantToken(): string {
    return this.#merchantToken;
  }

  /** The token of the customer `uuid`, or a ToolError saying how to give the server one. */
  async customerToken(uuid: string): Promise<string> {
    const known = this.#customers.get(uuid);
    if (known) return known;
    const { environmentToken } = this.#options;
    if (environmentToken && !this.#environmentLookup) this.#environmentLookup = this.#lookUpEnvironmentToken(environmentToken);
    if ((await this.#environmentLookup) === uuid && environmentToken) return environmentToken;
    const ways = `--customer-tokens <file> (a JSON object of customer uuid to token), REPORTEI_CONNECT_CUSTOMER_TOKEN (one customer's token)`;
    throw new ToolError(
      `connect-mcp holds no token for customer ${uuid}. Customer tokens never pass through the model: whoever runs the server gives them with ${ways}, ` +
        `or the server keeps the one createCustomer returns. Ask the user to add this customer's api_token to one of them and restart the server.` +
        (this.#environmentProblem ? ` (REPORTEI_CONNECT_CUSTOMER_TOKEN is set, but ${this.#environmentProblem})` : ''),
    );
  }

  async #lookUpEnvironmentToken(token: string): Promise<string | undefined> {
    try {
      const uuid = await this.#options.uuidOf(token);
      this.#customers.set(uuid, token);
      return uuid;
    } catch (error) {
      this.#environmentProblem = `the API did not say whose it is: ${(error as Error).message}`;
      return undefined;
    }
  }

  /** Keeps a customer's token, in the `--customer-tokens` file too (only its owner may read it). */
  remember(uuid: string, token: string): void {
    if (this.#customers.get(uuid) === token) return;
    this.#customers.set(uuid, token);
    const { file } = this.#options;
    if (!file) return;
    // Written whole, then renamed over the old one, so that a crash never leaves half a file.
    const temporary = `${file}.${process.pid}.tmp`;
    try {
      writeFileSync(temporary, `${JSON.stringify(Object.fromEntries(this.#customers), null, 2)}\n`, { mode: 0o600 });
      renameSync(temporary, file);
    } catch (error) {
      // The customer exists by now, and its answer must still reach the model: the token is kept in
      // memory, and whoever runs the server is told to save it.
      this.#options.log(`connect-mcp: could not write --customer-tokens ${file} (${(error as Error).message}): the token of customer ${uuid} is held only until the server stops.`);
    }
  }

  /**
   * `value` as JSON text with every token replaced by the placeholder: any `api_token` field (kept
   * first, by the `uuid` beside it, when it is a new customer's), then any token the server holds,
   * wherever it is.
   */
  json(value: unknown): string {
    return this.scrub(JSON.stringify(this.#redactFields(value)) ?? 'null');
  }

  /** `text` without any token the server holds. */
  scrub(text: string): string {
    let scrubbed = text;
    for (const token of [this.#merchantToken, this.#options.environmentToken, ...this.#customers.values()]) {
      if (token) scrubbed = scrubbed.replaceAll(token, TOKEN_PLACEHOLDER);
    }
    return scrubbed;
  }

  #redactFields(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((item) => this.#redactFields(item));
    if (typeof value !== 'object' || value === null) return value;
    const record = value as Record<string, unknown>;
    if (typeof record.api_token === 'string' && typeof record.uuid === 'string') this.remember(record.uuid, record.api_token);
    return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, key === 'api_token' && typeof item === 'string' ? TOKEN_PLACEHOLDER : this.#redactFields(item)]));
  }
}
