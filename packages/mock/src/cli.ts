#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { DEFAULT_PORT, startMock } from './index.js';

const usage = `Usage: connect-mock [--port ${DEFAULT_PORT}] [--dynamic] [--seed <text>]

Serves the Reportei Connect API from the bundled OpenAPI document with Prism, on 127.0.0.1.
  --port <n>      port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
  --dynamic       generate responses from the schemas instead of answering with the spec's examples
  --seed <text>   make --dynamic generate the same responses on every run
  --help          show this text`;

function fail(message: string): never {
  console.error(`connect-mock: ${message}\n\n${usage}`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      port: { type: 'string', default: String(DEFAULT_PORT) },
      dynamic: { type: 'boolean', default: false },
      seed: { type: 'string' },
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
if (values.seed !== undefined && !values.dynamic) fail('--seed only changes generated responses: add --dynamic');

// A start that fails (such as a port in use) prints its reason alone: neither Prism's log nor the usage.
const mock = await startMock({ port, dynamic: values.dynamic, ...(values.seed !== undefined && { seed: values.seed }), log: 'inherit' }).catch(
  (error: Error): never => {
    console.error(`connect-mock: ${error.message}`);
    process.exit(1);
  },
);

// Ready for Ctrl-C before saying so: a signal sent as soon as the line below appears must stop cleanly.
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    stopping = true;
    void mock.stop().then(() => process.exit(0));
  });
}

console.log(`
Reportei Connect mock listening on ${mock.url} (${values.dynamic ? 'generated responses' : "the spec's examples"})

Every request needs a merchant token, any non-empty value:
  Authorization: Bearer <any token>
Customer-scoped operations (customer settings, customer integrations, metrics) also need:
  x-customer-token: <any token>

Try:  curl -H 'Authorization: Bearer test' ${mock.url}/merchants/settings
A documented error on demand: add the header 'Prefer: code=404' (or 401, 422, 429, 500).
Press Ctrl-C to stop.
`);

void mock.exited.then(() => {
  if (stopping) return;
  console.error('connect-mock: Prism stopped on its own; its log above says why.');
  process.exit(1);
});
