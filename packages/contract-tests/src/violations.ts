/**
 * One way a response broke the spec. `pointer` is a JSON pointer into the response seen as
 * `{ status, headers, body }`: `/status`, `/headers/x-ratelimit-remaining`, `/body/customer/uuid`.
 */
export interface Violation {
  operationId: string;
  /** The response's HTTP status; undefined when no response arrived. */
  status: number | undefined;
  pointer: string;
  expected: string;
  actual: string;
  /** The named check that found it, such as `response_schema_conformance` (see src/checks.ts). */
  check: string;
}

export function formatViolation({ operationId, status, pointer, expected, actual, check }: Violation): string {
  return `${operationId} ${status ?? 'no response'} ${pointer || '/'}: expected ${expected}, got ${actual} [${check}]`;
}

/** A short, single-line rendering of a JSON value for "got ..." (long values are cut). */
export function describeValue(value: unknown, limit = 80): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

/** Thrown by a contract case that found violations; its message lists every one, one per line. */
export class ContractViolationError extends Error {
  override name = 'ContractViolationError';
  constructor(
    readonly violations: Violation[],
    /** What was sent, such as `GET /customers?per_page=0`, to reproduce the failure by hand. */
    readonly request: string,
  ) {
    const [first] = violations;
    super(
      `${first?.operationId ?? 'operation'}: ${violations.length} contract violation${violations.length === 1 ? '' : 's'} for ${request}\n` +
        violations.map((violation) => `  - ${formatViolation(violation)}`).join('\n'),
    );
  }
}
