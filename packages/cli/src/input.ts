// An operation's input from the command line: `--data` (JSON, `@file` or `-` for standard input), the
// flags over it, catalogue metrics from `--metric`; then checked against the spec's schemas (compiled
// at build time, src/generated/validators.ts), so that a mistake is a message naming the field before
// anything is sent.
import { readFileSync } from 'node:fs';
import type { ErrorObject } from 'ajv';
import type { CommandFlag, OperationCommand } from './command-table.js';
import { UsageError } from './output.js';

/** `--data`'s text: itself, a file's content (`@path`), or standard input (`-`). */
function dataText(data: string): string {
  if (data !== '-' && !data.startsWith('@')) return data;
  const source = data === '-' ? 0 : data.slice(1);
  try {
    return readFileSync(source, 'utf8');
  } catch (error) {
    throw new UsageError(`--data ${data}: cannot read ${data === '-' ? 'standard input' : `the file ${data.slice(1)}`} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
}

/** The JSON object `--data` gives. */
export function parseData(data: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(dataText(data));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--data is not JSON: ${(error as Error).message}.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError('--data must be a JSON object: the request body, such as \'{"name": "Acme"}\'.');
  return value as Record<string, unknown>;
}

/** Each `--metric` reference key as the catalogue's ready-made request, its `id` the key itself. */
async function catalogueMetrics(keys: readonly string[]): Promise<unknown[]> {
  const { metric } = await import('@reportei-connect/metrics');
  return keys.map((key) => {
    try {
      return metric(key as Parameters<typeof metric>[0], { id: key });
    } catch (error) {
      throw new UsageError(`--metric ${key}: ${(error as Error).message}`);
    }
  });
}

type Validate = ((value: unknown) => boolean) & { errors?: ErrorObject[] | null };

/** Every way `value` fails the schema at `pointer` of the document; empty when it conforms. */
async function validate(pointer: string, value: unknown): Promise<ErrorObject[]> {
  // Loaded only by the commands that have input to check.
  const { validators } = (await import('./generated/validators.js')) as { validators: Record<string, Validate> };
  const check = validators[pointer] as Validate;
  return check(value) ? [] : [...(check.errors ?? [])];
}

/** An Ajv error as `field: what is wrong`, the field dotted (`metrics.0.reference_key`) and its flag named. */
function describe(error: ErrorObject, prefix: string[], flags: readonly CommandFlag[]): string {
  const path = [...prefix, ...error.instancePath.split('/').slice(1).map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))];
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  if (error.keyword === 'required' && params.missingProperty) path.push(params.missingProperty);
  const field = path.join('.') || 'the body';
  const flag = flags.find((candidate) => candidate.field === path[0]);
  const what = error.keyword === 'required' ? 'is required' : (error.message ?? 'is invalid');
  return `${field}: ${what}${flag ? ` (--${flag.flag}${flag.in === 'body' ? ' or --data' : ''})` : ''}`;
}

/**
 * The one object the client's method takes (path, query and body fields together), from `--data` and
 * the flags (which win), checked against the operation's parameter and body schemas.
 */
export async function operationInput(command: OperationCommand, values: Record<string, unknown>, flagValue: (flag: CommandFlag) => unknown): Promise<Record<string, unknown>> {
  const body: Record<string, unknown> = typeof values.data === 'string' ? parseData(values.data) : {};
  const params: Record<string, unknown> = {};
  for (const flag of command.flags) {
    const value = flagValue(flag);
    if (value !== undefined) (flag.in === 'body' ? body : params)[flag.field] = value;
  }
  const keys = values.metric as string[] | undefined;
  if (command.metricsField && keys?.length) {
    const given = body[command.metricsField];
    body[command.metricsField] = [...(Array.isArray(given) ? given : []), ...(await catalogueMetrics(keys))];
  }

  const problems: string[] = [];
  const hasBody = command.body !== undefined && (command.body.required || Object.keys(body).length > 0);
  for (const flag of command.flags) {
    if (flag.schemaPointer && params[flag.field] !== undefined) {
      problems.push(...(await validate(flag.schemaPointer, params[flag.field])).map((error) => describe(error, [flag.field], command.flags)));
    }
  }
  if (command.body && hasBody) problems.push(...(await validate(command.body.schemaPointer, body)).map((error) => describe(error, [], command.flags)));
  if (problems.length > 0) throw new UsageError(`invalid input, nothing was sent:\n${[...new Set(problems)].map((problem) => `  ${problem}`).join('\n')}`);
  return { ...body, ...params };
}
