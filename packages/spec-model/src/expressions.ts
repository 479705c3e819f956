// OpenAPI 3.1 runtime expressions (§4.8.20.4): what links and callbacks use to take a value of one
// exchange, such as `$response.body#/customer/uuid` or a callback's `{$request.body#/metrics_webhook_url}`.
import { SpecModelError, valueAt } from './refs.js';

/** One exchange as runtime expressions see it; what a caller does not know yet (the response) it leaves out. */
export interface ExpressionSource {
  /** The request's method, upper case. */
  method: string;
  /** The request's URL, for `$url`. */
  url?: string;
  request: {
    /** Path parameters by name. */
    path?: Record<string, unknown>;
    /** Query parameters by name. */
    query?: Record<string, unknown>;
    headers?: Headers;
    body?: unknown;
  };
  response?: { status: number; headers?: Headers; body?: unknown };
}

/** A runtime expression this model cannot evaluate (malformed, or of a kind it does not know). */
export class ExpressionError extends SpecModelError {
  override name = 'ExpressionError';
}

/**
 * The value of one runtime expression for an exchange: `$url`, `$method`, `$statusCode`,
 * `$request.path.<name>`, `$request.query.<name>`, `$request.header.<name>`, `$request.body#<pointer>`,
 * `$response.header.<name>`, `$response.body#<pointer>`; a value that is not an expression is itself.
 * Undefined when the expression names nothing in the exchange. Throws an {@link ExpressionError} for
 * an expression it does not know, and for a malformed JSON pointer.
 */
export function evaluateExpression(expression: unknown, source: ExpressionSource): unknown {
  if (typeof expression !== 'string' || !expression.startsWith('$')) return expression;
  if (expression === '$url') return source.url;
  if (expression === '$method') return source.method;
  if (expression === '$statusCode') return source.response?.status;
  const body = /^\$(request|response)\.body(?:#(.*))?$/.exec(expression);
  if (body) {
    const value = body[1] === 'request' ? source.request.body : source.response?.body;
    try {
      return valueAt(value, body[2] ?? '');
    } catch (error) {
      throw new ExpressionError(`Runtime expression "${expression}": ${(error as Error).message}`);
    }
  }
  const named = /^\$(request\.path|request\.query|request\.header|response\.header)\.(.+)$/.exec(expression);
  if (named) {
    const [, where, name] = named as unknown as [string, string, string];
    if (where === 'request.header') return source.request.headers?.get(name) ?? undefined;
    if (where === 'response.header') return source.response?.headers?.get(name) ?? undefined;
    return (where === 'request.path' ? source.request.path : source.request.query)?.[name];
  }
  throw new ExpressionError(`Unsupported runtime expression "${expression}"`);
}

/**
 * A callback's URL template with each `{expression}` in it evaluated, as a callback is sent to it:
 * `{$request.body#/metrics_webhook_url}` is the URL the request's body named. Undefined when an
 * expression names nothing in the exchange, or names something other than a string or number.
 */
export function expandTemplate(template: string, source: ExpressionSource): string | undefined {
  let missing = false;
  const expanded = template.replace(/\{([^{}]+)\}/g, (_, expression: string) => {
    const value = evaluateExpression(expression, source);
    if (typeof value === 'string' || typeof value === 'number') return String(value);
    missing = true;
    return '';
  });
  return missing ? undefined : expanded;
}
