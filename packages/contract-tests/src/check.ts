import { describeRequest, type Exchange } from './exchange.js';
import { documentedResponse, pointerOf, type OperationSpec } from './spec.js';
import type { SchemaValidator } from './validator.js';
import { ContractViolationError, describeValue, type Violation } from './violations.js';

/** What a case expects: any documented 2xx, any documented 4xx, or exactly these statuses. */
export type ExpectedStatus = 'success' | 'client error' | readonly number[];

function describeExpected(operation: OperationSpec, expected: ExpectedStatus): string {
  if (Array.isArray(expected)) return expected.join(' or ');
  const range = expected === 'success' ? '2' : '4';
  const documented = operation.responses.map((response) => response.status).filter((status) => status.startsWith(range));
  return `a documented ${range}xx (${documented.join(', ') || 'none documented'})`;
}

function statusMatches(operation: OperationSpec, expected: ExpectedStatus, status: number): boolean {
  if (Array.isArray(expected)) return expected.includes(status);
  const range = expected === 'success' ? 2 : 4;
  return Math.floor(status / 100) === range && documentedResponse(operation, status) !== undefined;
}

/**
 * Checks one response against the operation's documentation: the status (documented, of the
 * expected kind, never 5xx), the JSON content type, every required header and its schema, and the
 * body against its schema. Answers every violation found, or none.
 */
export function checkExchange(validator: SchemaValidator, operation: OperationSpec, exchange: Exchange, expected: ExpectedStatus): Violation[] {
  const { id: operationId } = operation;
  const { response } = exchange;
  if (!response) {
    const reason = exchange.error instanceof Error ? `${exchange.error.message}${exchange.error.cause instanceof Error ? ` (${exchange.error.cause.message})` : ''}` : String(exchange.error);
    return [{ operationId, status: undefined, pointer: '/status', expected: describeExpected(operation, expected), actual: `no response: ${reason}` }];
  }
  const { status } = response;
  const violation = (pointer: string, expectedText: string, actual: string): Violation => ({ operationId, status, pointer, expected: expectedText, actual });
  const documented = documentedResponse(operation, status);

  if (status >= 500) return [violation('/status', describeExpected(operation, expected), `${status}, and a 5xx is always a failure: ${describeValue(response.text)}`)];
  if (!documented) return [violation('/status', describeExpected(operation, expected), `${status}, which the spec does not document for this operation`)];

  const violations: Violation[] = [];
  if (!statusMatches(operation, expected, status)) violations.push(violation('/status', describeExpected(operation, expected), String(status)));

  for (const [name, header] of Object.entries(documented.headers)) {
    const value = response.headers.get(name);
    const pointer = `/headers${pointerOf(name.toLowerCase())}`;
    if (value === null) {
      if (header.required) violations.push(violation(pointer, `the ${name} header (required)`, 'nothing'));
      continue;
    }
    if (!header.schemaPointer) continue;
    for (const failure of validator.validateText(header.schemaPointer, value)) violations.push(violation(`${pointer}${failure.pointer}`, failure.expected, failure.actual));
  }

  if (documented.schemaPointer) {
    const contentType = response.headers.get('content-type') ?? '';
    const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
    if (!documented.mediaTypes.includes(mediaType)) {
      violations.push(violation('/headers/content-type', `one of ${documented.mediaTypes.join(', ')}`, describeValue(contentType || undefined)));
      return violations;
    }
    let body: unknown;
    try {
      body = JSON.parse(response.text);
    } catch {
      violations.push(violation('/body', 'a JSON document', describeValue(response.text)));
      return violations;
    }
    for (const failure of validator.validate(documented.schemaPointer, body)) violations.push(violation(`/body${failure.pointer}`, failure.expected, failure.actual));
  }
  return violations;
}

/** Throws a {@link ContractViolationError} naming the operation, status and pointers when the exchange breaks the spec. */
export function assertExchange(validator: SchemaValidator, operation: OperationSpec, exchange: Exchange, expected: ExpectedStatus, extra: Violation[] = []): void {
  const violations = [...checkExchange(validator, operation, exchange, expected), ...extra];
  if (violations.length > 0) throw new ContractViolationError(violations, describeRequest(exchange));
}
