// The loopback API server the per-call benchmark talks to. It runs in its own process (forked by
// calls.mjs) so that its work never shares an event loop, or a CPU time slice, with the client being
// measured: on a 2-core machine the server gets one core and the measured process the other.
//
// It answers GET /merchants/settings with the spec's own example and the rate-limit headers the spec
// requires, from a body serialised once, and reports its port to the parent over IPC. For the tests
// of the variants, `node server.mjs fail` answers every request 500 and `node server.mjs hang` never
// answers.
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { listOperations, loadDocument, matchOperation, responseFor } from '@reportei-connect/spec-model';

/** The first example of the 200 response of GET /merchants/settings, as @reportei-connect/spec-model reads it. */
function merchantSettingsExample() {
  const operations = listOperations(loadDocument(fileURLToPath(import.meta.resolve('@reportei-connect/openapi/openapi.json'))));
  const operation = matchOperation(operations, 'GET', '/merchants/settings')?.operation;
  const [example] = Object.values((operation && responseFor(operation, 200)?.examples) ?? {});
  if (example === undefined) throw new Error('The spec has no example of the 200 response of GET /merchants/settings.');
  return example;
}

const body = Buffer.from(JSON.stringify(merchantSettingsExample()));
const headers = {
  'content-type': 'application/json',
  'content-length': String(body.length),
  'x-ratelimit-limit': '999',
  'x-ratelimit-remaining': '998',
};

const mode = process.argv[2];

const server = createServer((req, res) => {
  if (mode === 'hang') return;
  if (mode === 'fail') {
    res.writeHead(500, { 'content-type': 'application/json' }).end('{"message":"Server Error"}');
    return;
  }
  // Every variant must send the same request: a bearer token on GET /merchants/settings.
  if (req.method !== 'GET' || req.url !== '/merchants/settings' || !req.headers.authorization?.startsWith('Bearer ')) {
    res.writeHead(400, { 'content-type': 'text/plain' }).end(`unexpected request ${req.method} ${req.url}`);
    return;
  }
  res.writeHead(200, headers).end(body);
});
// Longer than any pause between rounds, so no variant ever pays for a new connection mid-run.
server.keepAliveTimeout = 60_000;

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
});
process.on('disconnect', () => process.exit(0));
