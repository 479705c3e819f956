import { describeRequest, type Exchange } from './exchange.js';
import { pointerOf, responseFor, type OperationSpec, type ResponseModel } from './spec.js';
import type { SchemaFailure, SchemaValidator } from './validator.js';
import { ContractViolationError, describeValue, type Violation } from './violations.js';

/**
 * The checks every response goes through, as Schemathesis registers its checks: each one a named
 * function `(context, exchange) => Violation[]` that looks at one thing and answers nothing when that
 * thing is as the spec says, or when it does not apply. Adding a check is adding one function to
 * {@link checks}; the self test (test/self) must then show it failing against a broken server.
 */
export type Check = (context: CheckContext, exchange: Exchange) => Violation[];

/**
 * What a case expects of the status: `accepted`, a documented 2xx (the request is valid);
 * `rejected`, a documented 4xx, or one of `statuses` (the request is not); `unauthenticated`, 401 (a
 * credential is missing).
 */
export type Expectation = { kind: 'accepted' } | { kind: 'rejected'; statuses?: readonly number[] } | { kind: 'unauthenticated' };

export const accepted: Expectation = { kind: 'accepted' };
export const rejected = (...statuses: number[]): Expectation => ({ kind: 'rejected', ...(statuses.length > 0 && { statuses }) });
export const unauthenticated: Expectation = { kind: 'unauthenticated' };

export interface CheckContext {
  operation: OperationSpec;
  validator: SchemaValidator;
  expected: Expectation;
  /**
   * What the schema cannot say about a successful body, for the request sent (the contract's
   * `verify`); pointers are relative to the body. Positive cases only.
   */
  semantics?: (body: unknown) => SchemaFailure[];
}

/** `a documented 2xx (200, 201)`, `401`, `404 or 422`. */
function describeExpected({ operation, expected }: Pick<CheckContext, 'operation' | 'expected'>): string {
  if (expected.kind === 'unauthenticated') return '401';
  if (expected.kind === 'rejected' && expected.statuses) return expected.statuses.join(' or ');
  const range = expected.kind === 'accepted' ? '2' : '4';
  const documented = operation.responses.map((response) => response.status).filter((status) => status.startsWith(range));
  return `a documented ${range}xx (${documented.join(', ') || 'none documented'})`;
}

/** A violation found by `check`, at `pointer` of the exchange's response. */
function reporter(check: Check, { operation }: CheckContext, exchange: Exchange) {
  return (pointer: string, expected: string, actual: string): Violation => ({ operationId: operation.id, status: exchange.response?.status, pointer, expected, actual, check: check.name });
}

/** The response and its documentation, when there is a response, it is not a 5xx and the operation documents its status. */
function documented({ operation }: CheckContext, { response }: Exchange): { response: NonNullable<Exchange['response']>; documentation: ResponseModel } | undefined {
  if (!response || response.status >= 500) return undefined;
  const documentation = responseFor(operation, response.status);
  return documentation && { response, documentation };
}

const mediaTypeOf = (response: NonNullable<Exchange['response']>) => (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();

/** The body of a documented JSON response whose content type is right, parsed; `undefined` when there is none to read. */
function jsonBody(context: CheckContext, exchange: Exchange): { body: unknown; schemaPointer: string } | { unparsable: string } | undefined {
  const found = documented(context, exchange);
  if (!found?.documentation.schemaPointer || !found.documentation.mediaTypes.includes(mediaTypeOf(found.response))) return undefined;
  try {
    return { body: JSON.parse(found.response.text), schemaPointer: found.documentation.schemaPointer };
  } catch {
    return { unparsable: found.response.text };
  }
}

/** A status of the expected kind, for the three expectation checks: undefined when they do not judge this exchange. */
function expectedStatusMet(context: CheckContext, exchange: Exchange, kind: Expectation['kind']): boolean | undefined {
  const found = documented(context, exchange);
  if (!found || context.expected.kind !== kind) return undefined;
  const { status } = found.response;
  const { expected } = context;
  if (expected.kind === 'unauthenticated') return status === 401;
  if (expected.kind === 'rejected' && expected.statuses) return expected.statuses.includes(status);
  return Math.floor(status / 100) === (expected.kind === 'accepted' ? 2 : 4);
}

/** A response arrived: the connection was not refused, reset or timed out. */
export function response_received(context: CheckContext, exchange: Exchange): Violation[] {
  if (exchange.response) return [];
  const { error } = exchange;
  const reason = error instanceof Error ? `${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}` : String(error);
  return [reporter(response_received, context, exchange)('/status', describeExpected(context), `no response: ${reason}`)];
}

/** A 5xx is always a failure, documented or not. */
export function not_a_server_error(context: CheckContext, exchange: Exchange): Violation[] {
  const { response } = exchange;
  if (!response || response.status < 500) return [];
  return [reporter(not_a_server_error, context, exchange)('/status', describeExpected(context), `${response.status}, and a 5xx is always a failure: ${describeValue(response.text)}`)];
}

/** The status is one the spec documents for the operation (exactly, as a `4XX` range or as `default`). */
export function status_code_conformance(context: CheckContext, exchange: Exchange): Violation[] {
  const { response } = exchange;
  if (!response || response.status >= 500 || documented(context, exchange)) return [];
  return [reporter(status_code_conformance, context, exchange)('/status', describeExpected(context), `${response.status}, which the spec does not document for this operation`)];
}

/** A valid request gets a documented 2xx, not one of the operation's documented errors. */
export function positive_data_acceptance(context: CheckContext, exchange: Exchange): Violation[] {
  if (expectedStatusMet(context, exchange, 'accepted') !== false) return [];
  return [reporter(positive_data_acceptance, context, exchange)('/status', describeExpected(context), String(exchange.response!.status))];
}

/** An invalid request (a flawed body or query, an unknown id) gets the documented 4xx, not a success. */
export function negative_data_rejection(context: CheckContext, exchange: Exchange): Violation[] {
  if (expectedStatusMet(context, exchange, 'rejected') !== false) return [];
  return [reporter(negative_data_rejection, context, exchange)('/status', describeExpected(context), String(exchange.response!.status))];
}

/** A request without one of the operation's credentials gets 401. */
export function ignored_auth(context: CheckContext, exchange: Exchange): Violation[] {
  if (expectedStatusMet(context, exchange, 'unauthenticated') !== false) return [];
  return [reporter(ignored_auth, context, exchange)('/status', describeExpected(context), String(exchange.response!.status))];
}

/** Every header the response documents as required is there, and each documented header that is there conforms to its schema. */
export function response_headers_conformance(context: CheckContext, exchange: Exchange): Violation[] {
  const found = documented(context, exchange);
  if (!found) return [];
  const violation = reporter(response_headers_conformance, context, exchange);
  const violations: Violation[] = [];
  for (const [name, header] of Object.entries(found.documentation.headers)) {
    const value = found.response.headers.get(name);
    const pointer = `/headers${pointerOf(name.toLowerCase())}`;
    if (value === null) {
      if (header.required) violations.push(violation(pointer, `the ${name} header (required)`, 'nothing'));
      continue;
    }
    if (!header.schemaPointer) continue;
    for (const failure of context.validator.validateText(header.schemaPointer, value)) violations.push(violation(`${pointer}${failure.pointer}`, failure.expected, failure.actual));
  }
  return violations;
}

/** A response documented with a body says so in its Content-Type: one of the documented media types. */
export function content_type_conformance(context: CheckContext, exchange: Exchange): Violation[] {
  const found = documented(context, exchange);
  if (!found?.documentation.schemaPointer || found.documentation.mediaTypes.includes(mediaTypeOf(found.response))) return [];
  const contentType = found.response.headers.get('content-type') ?? undefined;
  return [reporter(content_type_conformance, context, exchange)('/headers/content-type', `one of ${found.documentation.mediaTypes.join(', ')}`, describeValue(contentType))];
}

/** The body is JSON and conforms to the documented schema (checked when the content type is right; see content_type_conformance). */
export function response_schema_conformance(context: CheckContext, exchange: Exchange): Violation[] {
  const read = jsonBody(context, exchange);
  if (!read) return [];
  const violation = reporter(response_schema_conformance, context, exchange);
  if ('unparsable' in read) return [violation('/body', 'a JSON document', describeValue(read.unparsable))];
  return context.validator.validate(read.schemaPointer, read.body).map((failure) => violation(`/body${failure.pointer}`, failure.expected, failure.actual));
}

/**
 * A successful body that conforms to its schema also keeps the operation's rules the schema cannot
 * express, for the request sent: the contract's `verify` (getMetricsData answers one result per
 * requested metric id, and nothing else).
 */
export function response_semantics_conformance(context: CheckContext, exchange: Exchange): Violation[] {
  const read = context.semantics && exchange.response && exchange.response.status < 300 ? jsonBody(context, exchange) : undefined;
  if (!read || 'unparsable' in read || !context.validator.isValid(read.schemaPointer, read.body)) return [];
  const violation = reporter(response_semantics_conformance, context, exchange);
  return context.semantics!(read.body).map((failure) => violation(`/body${failure.pointer}`, failure.expected, failure.actual));
}

/** Every check, in the order their violations are listed. */
export const checks: readonly Check[] = [
  response_received,
  not_a_server_error,
  status_code_conformance,
  positive_data_acceptance,
  negative_data_rejection,
  ignored_auth,
  response_headers_conformance,
  content_type_conformance,
  response_schema_conformance,
  response_semantics_conformance,
];

/** Every violation the checks find in one exchange, or none. */
export function runChecks(context: CheckContext, exchange: Exchange, only: readonly Check[] = checks): Violation[] {
  return only.flatMap((check) => check(context, exchange));
}

/** Throws a {@link ContractViolationError} naming the operation, status, pointers and checks when the exchange breaks the spec. */
export function assertExchange(context: CheckContext, exchange: Exchange): void {
  const violations = runChecks(context, exchange);
  if (violations.length > 0) throw new ContractViolationError(violations, describeRequest(exchange));
}
