import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseCommandLine, usage } from './cli-options.js';
import { API_PREFIX, CONTROL_PREFIX, FAULT_HEADER } from './http/respond.js';
import { createSandbox, type RunningSandbox, type Sandbox } from './sandbox.js';

/** How long Ctrl-C waits, without a state file, for the next attempts of pending webhook deliveries. */
const DRAIN_MS = 5000;

const parsed = parseCommandLine(process.argv.slice(2));
if (parsed.kind === 'help') {
  console.log(usage);
  process.exit(0);
}
if (parsed.kind === 'error') {
  console.error(`connect-sandbox: ${parsed.message}\n\n${usage}`);
  process.exit(2);
}
const values = parsed.options;

let sandbox: Sandbox;
let running: RunningSandbox;
try {
  sandbox = createSandbox({
    seed: values.seed,
    merchantToken: values.merchantToken,
    rateLimit: values.rateLimit,
    rateLimitPerSecond: values.rateLimitPerSecond,
    stateFile: values.state,
    redirectUrl: values.redirectUrl,
    allowOrigins: values.allowOrigins,
    webhooks: {
      delayMs: values.webhookDelayMs,
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
  running = await sandbox.listen({ port: values.port, host: values.host });
} catch (error) {
  console.error(`connect-sandbox: ${(error as Error).message}`);
  process.exit(1);
}

/**
 * Without a state file, pending webhook deliveries would be lost: their next attempts are made now,
 * for at most DRAIN_MS, and what is still pending after that is said to be dropped. A second Ctrl-C
 * drops them at once. With a state file they are kept, and sent after the next start.
 */
async function drainDeliveries(interrupted: Promise<void>): Promise<void> {
  const pending = sandbox.webhooks.pending();
  if (values.state !== undefined || pending.length === 0) return;
  console.error(
    `Waiting up to ${DRAIN_MS / 1000} s for the next attempt of ${pending.length} pending webhook deliver${pending.length === 1 ? 'y' : 'ies'} (${pending.map((delivery) => delivery.url).join(', ')}); press Ctrl-C again to drop ${pending.length === 1 ? 'it' : 'them'}.`,
  );
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([sandbox.webhooks.flush(), interrupted, new Promise<void>((resolve) => (timer = setTimeout(resolve, DRAIN_MS)))]);
  clearTimeout(timer);
  const left = sandbox.webhooks.pending().length;
  if (left > 0) console.error(`Dropping ${left} webhook deliver${left === 1 ? 'y' : 'ies'} still pending (start with --state to keep them across restarts).`);
}

// Ready for Ctrl-C before saying so: whoever waits for the lines below may signal at once.
let stopping = false;
let interrupt: () => void = () => {};
const interrupted = new Promise<void>((resolve) => (interrupt = resolve));
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (stopping) return interrupt();
    stopping = true;
    void running
      .close()
      .then(() => drainDeliveries(interrupted))
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
const envLines = Object.entries(running.env)
  .map(([name, value]) => `${name}=${value}`)
  .join('\n');
if (values.writeEnv !== undefined) {
  // `pnpm sandbox` runs this in the package's folder; INIT_CWD is where the user typed the command.
  const envFile = path.resolve(process.env.INIT_CWD ?? process.cwd(), values.writeEnv);
  try {
    writeFileSync(envFile, `${envLines}\n`, { mode: 0o600 });
    console.error(`The REPORTEI_CONNECT_* lines are in ${envFile}: load them with \`set -a; . ${envFile}; set +a\` or \`node --env-file=${envFile}\`.`);
  } catch (error) {
    console.error(`connect-sandbox: could not write --write-env ${envFile}: ${(error as Error).message}; the lines are printed below instead.`);
  }
}
console.log(envLines);
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

