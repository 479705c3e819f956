import { evaluateExpression as evaluate, ExpressionError } from '@reportei-connect/spec-model';
import type { RequestInput } from './operations.js';
import { responseFor, type Json, type OperationSpec } from './spec.js';
import { describeValue } from './violations.js';

/**
 * OpenAPI links: how a value of one response feeds the next request (`createCustomer`'s
 * `$response.body#/customer/uuid` is `getCustomer`'s `uuid`). The scenarios take such values through
 * the spec's link rather than by reading the field themselves, so that a field renamed in the spec
 * without its link, or a link to the wrong operation, fails the scenario that follows it.
 */

/** One exchange as a link's runtime expressions see it. */
export interface LinkSource {
  operation: OperationSpec;
  request: RequestInput;
  status: number;
  headers: Headers;
  body: unknown;
}

/** A link that cannot be followed: missing, aimed elsewhere, or whose value is not in the response. */
export class LinkError extends Error {
  override name = 'LinkError';
}

/** `createCustomer 201 link GetCustomer`, for messages. */
const describeLink = (source: LinkSource, name: string) => `${source.operation.id} ${source.status} link ${name}`;

/**
 * The value of one runtime expression for an exchange, by spec-model's evaluator (the one the sandbox
 * sends callbacks with); a value that is not an expression is itself, and one naming nothing in the
 * exchange is undefined. An expression the evaluator does not know is a {@link LinkError}.
 */
export function evaluateExpression(expression: unknown, source: LinkSource): unknown {
  try {
    return evaluate(expression, {
      method: source.operation.method,
      request: source.request,
      response: { status: source.status, headers: source.headers, body: source.body },
    });
  } catch (error) {
    if (error instanceof ExpressionError) throw new LinkError(error.message);
    throw error;
  }
}

/**
 * The request a link of the exchange's documented response describes, for the operation `to`: each of
 * its parameters, evaluated, in the place (path or query) the target operation declares it. Throws a
 * {@link LinkError} naming the link when the response documents no such link, the link leads to
 * another operation, names a parameter the target does not have, or its value is not in the response.
 */
export function followLink(source: LinkSource, name: string, to: OperationSpec): RequestInput {
  const links = responseFor(source.operation, source.status)?.links ?? {};
  const link = links[name];
  if (!link) {
    const declared = Object.keys(links);
    throw new LinkError(`${source.operation.id} ${source.status} declares no link ${name} (${declared.length ? `it declares ${declared.join(', ')}` : 'it declares none'})`);
  }
  if (link.operationId !== to.id) throw new LinkError(`${describeLink(source, name)} leads to ${link.operationId ?? link.operationRef ?? 'no operation'}, not ${to.id}`);
  const request: RequestInput = {};
  for (const [key, expression] of Object.entries((link.parameters ?? {}) as Record<string, unknown>)) {
    const [, place, parameterName] = /^(?:(path|query|header|cookie)\.)?(.+)$/.exec(key) as unknown as [string, string | undefined, string];
    const parameter = to.parameters.find((candidate) => candidate.name === parameterName && (!place || candidate.in === place));
    if (!parameter || (parameter.in !== 'path' && parameter.in !== 'query')) {
      throw new LinkError(`${describeLink(source, name)} sets ${key}, which ${to.id} has no path or query parameter for`);
    }
    const value = evaluateExpression(expression, source);
    if (value === undefined || value === null || typeof value === 'object') {
      throw new LinkError(`${describeLink(source, name)}: ${String(expression)} is ${describeValue(value)} in the response, not a value for ${to.id}'s ${parameterName}`);
    }
    if (parameter.in === 'path') request.path = { ...request.path, [parameterName]: String(value) };
    else request.query = { ...request.query, [parameterName]: String(value) };
  }
  if (link.requestBody !== undefined) request.body = evaluateExpression(link.requestBody, source) as Json;
  return request;
}
