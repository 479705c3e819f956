// Answers the requests that Prism 5.14.2 would never answer: a JSON content type with a body that does
// not parse. Prism reads such a body, fails to parse it, then waits for the request's 'end' event,
// which has already fired, so the client hangs until its own timeout (with or without credentials, on
// every operation). The guard sits in front of Prism's request listener, in Prism's own process: it
// reads every JSON body itself, hands Prism a copy of any request whose body parses, and answers the
// others itself, the way the spec documents:
//
// - an operation that takes a body, with the credentials its security requires: 422, a ValidationError
//   `{ "message": ..., "errors": { "body": [...] } }` with the response's required headers (the rate
//   limit) set from the spec's examples;
// - the same operation without those credentials: Prism answers it with no body, so the client gets
//   Prism's usual 401 (the mock checks credentials before bodies, like the API);
// - an operation that takes no body, or a path the spec does not have: Prism gets the bytes as
//   text/plain and answers as it does for any body sent there (422, 404 or 405).
//
// A body larger than Prism's own limit (10 MB) is answered with 413 without reading the rest.
'use strict';

const { PassThrough } = require('node:stream');

/** Prism reads bodies with micri's `text(request, { limit: '10mb' })`. */
const LIMIT = 10 * 1024 * 1024;

/** The media type without parameters, lower-cased, and its charset parameter if any. */
function parseContentType(value) {
  const [type = '', ...parameters] = String(value ?? '').split(';');
  const charset = parameters
    .map((parameter) => parameter.trim().split('='))
    .find(([name]) => name.trim().toLowerCase() === 'charset')?.[1];
  return { type: type.trim().toLowerCase(), charset: charset?.trim().replace(/^"(.*)"$/, '$1').toLowerCase() };
}

/** The content types Prism parses as JSON (its `typeIs(request, ['application/json', 'application/*+json'])`). */
const isJsonType = (type) => type === 'application/json' || /^application\/[^/\s]+\+json$/.test(type);

/** Whether Prism would read a body at all (its `parseRequestBody`). */
const announcesBody = (headers) =>
  headers['content-length'] !== '0' && (headers['transfer-encoding'] !== undefined || headers['content-length'] !== undefined);

/**
 * Whether a request carries every credential an operation needs, as Prism checks them (prism-http's
 * security handlers): the merchant's `Authorization: Bearer <token>`, and a non-empty customer token
 * header where the operation also needs one.
 */
function authorized(credentials, headers) {
  return credentials.every(({ role, header }) => (role === 'merchant' ? /^Bearer\s.+$/.test(headers[header] ?? '') : Boolean(headers[header])));
}

/**
 * Loads @reportei-connect/spec-model (an ES module, hence asynchronous) and resolves to `guardFor`,
 * which builds at once the guard of a document: a function that wraps Prism's request listener.
 */
async function loadJsonBodyGuard() {
  const specModel = await import('@reportei-connect/spec-model');
  return (document) => jsonBodyGuard(specModel, document);
}

/**
 * The guard of the bundled document Prism serves, read by spec-model (its operations, their
 * credentials, their routing and their 422 responses).
 */
function jsonBodyGuard({ credentialsFor, listOperations, matchOperation, securitySchemes }, document) {
  const operations = listOperations(document);
  const schemes = securitySchemes(document);

  // What each operation needs, worked out once: whether it takes a body, its credentials, and the
  // required headers of its 422 (the rate limit) with their examples.
  const needs = new Map(
    operations.map((operation) => {
      const unprocessable = operation.responses.find((response) => response.status === '422');
      const headers422 = {};
      for (const [name, header] of Object.entries(unprocessable?.headers ?? {})) {
        const example = header.example ?? header.schema.example;
        if (header.required && example !== undefined) headers422[name] = String(example);
      }
      return [operation, { takesBody: Boolean(operation.requestBody), answers422: Boolean(unprocessable), headers422, credentials: credentialsFor(schemes, operation.auth) }];
    }),
  );

  return function guard(prism) {
    return function guardedListener(request, response) {
      const { type, charset } = parseContentType(request.headers['content-type']);
      if (!isJsonType(type) || !announcesBody(request.headers)) return prism(request, response);

      const chunks = [];
      let size = 0;
      let refused = false;
      request.on('data', (chunk) => {
        if (refused) return;
        size += chunk.length;
        if (size <= LIMIT) return void chunks.push(chunk);
        refused = true;
        chunks.length = 0;
        answer(response, 413, corsHeaders(request), { message: `The request body is larger than ${LIMIT / 1024 / 1024} MB.` }, () => request.destroy());
      });
      request.on('error', () => undefined); // the client went away: nothing to answer
      request.on('end', () => {
        if (refused) return;
        const body = Buffer.concat(chunks);
        if (body.length === 0) return prism(replay(request, body, request.headers), response);
        const problem = jsonProblem(body, charset);
        if (!problem) return prism(replay(request, body, request.headers), response);

        const url = new URL(request.url ?? '/', 'http://mock');
        // Among the operations of this method, the path that fits best (literal segments first), as Prism routes.
        const method = String(request.method).toUpperCase();
        const match = matchOperation(operations.filter((candidate) => candidate.method === method), method, url.pathname);
        const operation = match && needs.get(match.operation);
        if (!operation || !operation.takesBody || !operation.answers422) {
          // Prism answers a body here the same whatever it holds: give it one it can read.
          return prism(replay(request, body, { ...request.headers, 'content-type': 'text/plain' }), response);
        }
        if (!authorized(operation.credentials, request.headers)) return prism(replay(request, Buffer.alloc(0), request.headers), response);

        log(`${request.method} ${url.pathname}: the body is not valid JSON (${problem.replace(/\.$/, '')}), answered 422`);
        const message = 'The request body is not valid JSON.';
        answer(response, 422, { ...corsHeaders(request), ...operation.headers422 }, { message, errors: { body: [`${message} ${problem}`] } });
      });
    };
  };
}

/** Why the body is not JSON Prism could read, or undefined if it is. */
function jsonProblem(body, charset) {
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') return `JSON is sent as UTF-8, not ${charset}.`;
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return 'It is not UTF-8 text.';
  }
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    return `${error.message.replace(/\.?$/, '.')}`;
  }
}

/**
 * A stand-in for `request` whose body is `body`, for Prism's listener. Prism reads a request's method,
 * url and headers, and its body as a stream; the length always matches what it will read.
 */
function replay(request, body, headers) {
  const copy = new PassThrough();
  const { 'transfer-encoding': _chunked, ...rest } = headers;
  Object.assign(copy, {
    method: request.method,
    url: request.url,
    headers: { ...rest, 'content-length': String(body.length) },
    rawHeaders: request.rawHeaders,
    httpVersion: request.httpVersion,
    httpVersionMajor: request.httpVersionMajor,
    httpVersionMinor: request.httpVersionMinor,
    socket: request.socket,
    connection: request.socket,
  });
  copy.end(body);
  return copy;
}

/** The CORS headers Prism puts on every answer (its `--cors` is on by default). */
function corsHeaders(request) {
  return {
    'Access-Control-Allow-Origin': request.headers.origin || '*',
    'Access-Control-Allow-Headers': request.headers['access-control-request-headers'] || '*',
    'Access-Control-Allow-Credentials': 'true',
    'Access-Control-Expose-Headers': request.headers['access-control-expose-headers'] || '*',
  };
}

function answer(response, status, headers, body, then) {
  const text = JSON.stringify(body);
  response.writeHead(status, { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  response.end(text, then);
}

/** One line in Prism's log, in its style, so `pnpm mock` shows these requests too. */
function log(message) {
  const time = new Date().toLocaleTimeString('en-US');
  process.stdout.write(`[${time}] › [MOCK] ✖  error     ${message}\n`);
}

module.exports = { loadJsonBodyGuard };
