import { parseArgs } from 'node:util';
import { API_PREFIX, CONTROL_PREFIX, FAULT_HEADER } from './app.js';
import { DEFAULT_WEBHOOK_DELAY_MS } from './webhooks.js';
import { createSandbox, DEFAULT_HOST, DEFAULT_MERCHANT_TOKEN, DEFAULT_PORT, DEFAULT_RATE_LIMIT, DEFAULT_SEED, type RunningSandbox, type Sandbox } from './sandbox.js';

const usage = `Usage: connect-sandbox [--port ${DEFAULT_PORT}] [--host ${DEFAULT_HOST}] [--state <file>] [--seed <text>]
                       [--merchant-token <token>] [--rate-limit <requests per minute>]
                       [--webhook-delay-ms <ms>] [--redirect-url <url>] [--quiet]

A local, stateful Reportei Connect API, served under /api as in production.
  --port <n>                  port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
  --host <host>               address to listen on (default ${DEFAULT_HOST})
  --state <file>              keep the state in this JSON file across restarts (created when missing)
  --seed <text>               what ids, tokens and metric values derive from (default "${DEFAULT_SEED}")
  --merchant-token <token>    the merchant token to accept (default "${DEFAULT_MERCHANT_TOKEN}")
  --rate-limit <n>            requests per minute before 429 (default ${DEFAULT_RATE_LIMIT})
  --webhook-delay-ms <ms>     wait before POSTing getMetricsDataAsync's results (default ${DEFAULT_WEBHOOK_DELAY_MS})
  --redirect-url <url>        where the hosted integration page's final button leads when the
                              session names no redirect_url (default: the sandbox's own "done" page)
  --quiet                     do not log each request and webhook attempt
  --help                      show this text

Prints REPORTEI_CONNECT_* lines for a shell or a .env file on stdout; everything else goes to stderr.`;

function fail(message: string): never {
  console.error(`connect-sandbox: ${message}\n\n${usage}`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      port: { type: 'string', default: String(DEFAULT_PORT) },
      host: { type: 'string', default: DEFAULT_HOST },
      state: { type: 'string' },
      seed: { type: 'string' },
      'merchant-token': { type: 'string' },
      'rate-limit': { type: 'string', default: String(DEFAULT_RATE_LIMIT) },
      'webhook-delay-ms': { type: 'string', default: String(DEFAULT_WEBHOOK_DELAY_MS) },
      'redirect-url': { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  }));
} catch (error) {
  fail((error as Error).message);
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const port = Number(values.port);
if (!/^\d+$/.test(values.port) || port > 65535) fail(`--port must be a number from 0 to 65535, got "${values.port}"`);
const rateLimit = Number(values['rate-limit']);
if (!/^\d+$/.test(values['rate-limit']) || rateLimit < 1) fail(`--rate-limit must be a whole number of requests per minute, 1 or more, got "${values['rate-limit']}"`);
const webhookDelayMs = Number(values['webhook-delay-ms']);
if (!/^\d+$/.test(values['webhook-delay-ms'])) fail(`--webhook-delay-ms must be a whole number of milliseconds, got "${values['webhook-delay-ms']}"`);
const redirectUrl = values['redirect-url'];
if (redirectUrl !== undefined && !/^https?:\/\/\S+$/i.test(redirectUrl)) fail(`--redirect-url must be an http or https URL, got "${redirectUrl}"`);
const merchantToken = values['merchant-token'];
if (merchantToken !== undefined && !/^\S+$/.test(merchantToken)) fail('--merchant-token must be a non-empty token without spaces');

let sandbox: Sandbox;
let running: RunningSandbox;
try {
  sandbox = createSandbox({
    seed: values.seed,
    merchantToken,
    rateLimit,
    stateFile: values.state,
    redirectUrl,
    webhooks: {
      delayMs: webhookDelayMs,
      ...(!values.quiet && {
        onAttempt: (delivery, attempt) =>
          console.error(
            `webhook POST ${delivery.url} ${attempt.status ?? `(${attempt.error})`} attempt ${delivery.attempts.length}: ${delivery.status}${delivery.nextAttemptAt ? `, next attempt at ${delivery.nextAttemptAt}` : ''}`,
          ),
      }),
    },
    ...(!values.quiet && {
      onRequest: (record) =>
        console.error(`${record.method} ${API_PREFIX}${record.path} ${record.status ?? `(${record.fault})`}${record.operationId ? ` ${record.operationId}` : ''}`),
    }),
  });
  running = await sandbox.listen({ port, host: values.host });
} catch (error) {
  console.error(`connect-sandbox: ${(error as Error).message}`);
  process.exit(1);
}

// Ready for Ctrl-C before saying so: whoever waits for the lines below may signal at once.
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    void running
      .close()
      .then(() => sandbox.close())
      .then(
        () => process.exit(0),
        (error: Error) => {
          console.error(`connect-sandbox: ${error.message}`);
          process.exit(1);
        },
      );
  });
}

// Ready to paste into a shell or a .env file: nothing else goes to stdout.
console.log(
  [
    `REPORTEI_CONNECT_BASE_URL=${running.baseUrl}`,
    `REPORTEI_CONNECT_TOKEN=${sandbox.merchantToken}`,
    `REPORTEI_CONNECT_CUSTOMER_TOKEN=${sandbox.customerToken}`,
    `REPORTEI_CONNECT_CUSTOMER_INTEGRATION=${sandbox.integration}`,
  ].join('\n'),
);
console.error(`
Reportei Connect sandbox: the API at ${running.baseUrl}${values.state ? `, state in ${values.state}` : ' (in memory)'}
The lines above are the merchant token, and the demo customer's token and active Instagram Business
integration. The demo customer is paying, so moving the clock never locks it out.

  curl -H 'Authorization: Bearer ${sandbox.merchantToken}' ${running.baseUrl}/merchants/settings

Integration sessions' links (createIntegrationSession) open the hosted page on this origin:
${running.url}/customer-integrations/session/<session_uuid>

Sandbox endpoints (merchant token required): POST ${CONTROL_PREFIX}/reset, GET|POST ${CONTROL_PREFIX}/clock
({"advanceSeconds": n} or {"now": "<RFC 3339>"}), GET ${CONTROL_PREFIX}/requests, GET ${CONTROL_PREFIX}/webhook-deliveries,
POST ${CONTROL_PREFIX}/customer-integrations/<uuid>/status ({"status": "expired"}), and without a token
POST ${CONTROL_PREFIX}/integration-sessions/<session_uuid>/connect ({"integration": "youtube"}).
Make one request fail with the header '${FAULT_HEADER}: 500' (or 429, timeout, reset).
Press Ctrl-C to stop.
`);

