import { parseArgs } from 'node:util';
import { DEFAULT_HOST, DEFAULT_MERCHANT_TOKEN, DEFAULT_PORT, DEFAULT_RATE_LIMIT, DEFAULT_SEED } from './sandbox.js';
import { isHttpUrl } from './url.js';
import { DEFAULT_WEBHOOK_DELAY_MS } from './webhooks.js';

export const usage: string = `Usage: connect-sandbox [--port ${DEFAULT_PORT}] [--host ${DEFAULT_HOST}] [--state <file>] [--seed <text>]
                       [--merchant-token <token>] [--rate-limit <requests per minute>]
                       [--rate-limit-per-second <requests per second>]
                       [--webhook-delay-ms <ms>] [--redirect-url <url>] [--allow-origin <origin>]...
                       [--write-env <file>] [--quiet]

A local, stateful Reportei Connect API, served under /api as in production.
  --port <n>                  port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
  --host <host>               address to listen on (default ${DEFAULT_HOST}); requests must name it,
                              an IP address or localhost in their Host header
  --state <file>              keep the state in this JSON file across restarts (created when missing;
                              one sandbox per file)
  --seed <text>               what ids, metric values and (given) customer tokens derive from
                              (default "${DEFAULT_SEED}", with tokens from a random secret)
  --merchant-token <token>    the merchant token to accept (default "${DEFAULT_MERCHANT_TOKEN}")
  --rate-limit <n>            requests per minute before 429 (default ${DEFAULT_RATE_LIMIT})
  --rate-limit-per-second <n> requests per second before 429, besides the minute's (default: none)
  --webhook-delay-ms <ms>     wait before POSTing getMetricsDataAsync's results (default ${DEFAULT_WEBHOOK_DELAY_MS})
  --redirect-url <url>        where the hosted integration page's final button leads when the
                              session names no redirect_url (default: the sandbox's own "done" page)
  --allow-origin <origin>     let pages of this origin call the sandbox (repeatable; loopback
                              origins always may), such as https://app.example
  --write-env <file>          also write the REPORTEI_CONNECT_* lines to this file (only readable by
                              you), relative to where pnpm or npm was run: unlike redirecting
                              stdout, it never captures pnpm's own lines (named so because Node.js
                              20 takes --env-file for itself, wherever it appears)
  --quiet                     do not log each request and webhook attempt
  --help                      show this text

Prints REPORTEI_CONNECT_* lines for a shell or a .env file on stdout; everything else goes to stderr.`;

/** What the command line asks for. */
export interface CliOptions {
  port: number;
  host: string;
  state: string | undefined;
  seed: string | undefined;
  merchantToken: string | undefined;
  rateLimit: number;
  rateLimitPerSecond: number | undefined;
  webhookDelayMs: number;
  redirectUrl: string | undefined;
  allowOrigins: string[];
  /** Where to write the REPORTEI_CONNECT_* lines too, as given (resolved by the CLI). */
  writeEnv: string | undefined;
  quiet: boolean;
}

/** The command line read and checked: the options, `help`, or the first problem (to print with the usage, exit status 2). */
export type ParsedCommandLine = { kind: 'run'; options: CliOptions } | { kind: 'help' } | { kind: 'error'; message: string };

const wholeNumber = (text: string) => (/^\d+$/.test(text) ? Number(text) : Number.NaN);

export function parseCommandLine(args: string[]): ParsedCommandLine {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        port: { type: 'string', default: String(DEFAULT_PORT) },
        host: { type: 'string', default: DEFAULT_HOST },
        state: { type: 'string' },
        seed: { type: 'string' },
        'merchant-token': { type: 'string' },
        'rate-limit': { type: 'string', default: String(DEFAULT_RATE_LIMIT) },
        'rate-limit-per-second': { type: 'string' },
        'webhook-delay-ms': { type: 'string', default: String(DEFAULT_WEBHOOK_DELAY_MS) },
        'redirect-url': { type: 'string' },
        'allow-origin': { type: 'string', multiple: true, default: [] },
        'write-env': { type: 'string' },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    return { kind: 'error', message: (error as Error).message };
  }
  if (values.help) return { kind: 'help' };
  const error = (message: string): ParsedCommandLine => ({ kind: 'error', message });
  const port = wholeNumber(values.port);
  if (!(port <= 65535)) return error(`--port must be a number from 0 to 65535, got "${values.port}"`);
  const rateLimit = wholeNumber(values['rate-limit']);
  if (!(rateLimit >= 1)) return error(`--rate-limit must be a whole number of requests per minute, 1 or more, got "${values['rate-limit']}"`);
  const perSecondText = values['rate-limit-per-second'];
  const rateLimitPerSecond = perSecondText === undefined ? undefined : wholeNumber(perSecondText);
  if (rateLimitPerSecond !== undefined && !(rateLimitPerSecond >= 1)) return error(`--rate-limit-per-second must be a whole number of requests per second, 1 or more, got "${perSecondText}"`);
  const webhookDelayMs = wholeNumber(values['webhook-delay-ms']);
  if (Number.isNaN(webhookDelayMs)) return error(`--webhook-delay-ms must be a whole number of milliseconds, got "${values['webhook-delay-ms']}"`);
  const redirectUrl = values['redirect-url'];
  if (redirectUrl !== undefined && !isHttpUrl(redirectUrl)) return error(`--redirect-url must be an http or https URL, got "${redirectUrl}"`);
  const merchantToken = values['merchant-token'];
  if (merchantToken !== undefined && !/^\S+$/.test(merchantToken)) return error('--merchant-token must be a non-empty token without spaces');
  const allowOrigins = values['allow-origin'];
  const badOrigin = allowOrigins.find((origin) => !isHttpUrl(origin) || new URL(origin).origin !== origin);
  if (badOrigin !== undefined) return error(`--allow-origin must be an origin such as https://app.example (scheme, host and port only), got "${badOrigin}"`);
  const writeEnv = values['write-env'];
  if (writeEnv !== undefined && writeEnv.trim() === '') return error('--write-env must name a file, such as .env');
  return {
    kind: 'run',
    options: { port, host: values.host, state: values.state, seed: values.seed, merchantToken, rateLimit, rateLimitPerSecond, webhookDelayMs, redirectUrl, allowOrigins, writeEnv, quiet: values.quiet },
  };
}
