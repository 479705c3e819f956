// Everything the CLI prints goes through here: the tokens it was given are replaced wherever they
// would appear (an echoed flag value, a server's error message, a completion of a typed word), and
// results are JSON or, for a person at a terminal, a table or key/value lines.

/** Thrown for a mistake in the command line or its input: printed as one message, exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const secrets = new Set<string>();

/** Never print `token` again, from now on. */
export function addSecret(token: string | undefined): void {
  if (token) secrets.add(token);
}

export function scrub(text: string): string {
  let scrubbed = text;
  for (const secret of secrets) scrubbed = scrubbed.replaceAll(secret, '[redacted]');
  return scrubbed;
}

export const writeOut = (text: string): void => void process.stdout.write(scrub(text));
export const writeErr = (text: string): void => void process.stderr.write(scrub(text));

export type OutputMode = 'json' | 'human';

/** `--json`/`--no-json` when given, else JSON unless standard output is a terminal, so pipes get JSON. */
export const outputMode = (json: boolean | undefined): OutputMode => ((json ?? !process.stdout.isTTY) ? 'json' : 'human');

type Row = Record<string, unknown>;
const isRecord = (value: unknown): value is Row => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A scalar as a person reads it; objects and lists as compact JSON, cut at `width`. */
function cell(value: unknown, width = Infinity): string {
  const text = typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value);
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

/** Lines of columns, each as wide as its widest cell, two spaces apart. */
function columns(rows: string[][]): string {
  const widths = rows[0]?.map((_, index) => Math.max(...rows.map((row) => row[index]?.length ?? 0))) ?? [];
  return rows.map((row) => row.map((text, index) => (index === row.length - 1 ? text : text.padEnd(widths[index] ?? 0))).join('  ')).join('\n');
}

/** Items as a table: a column per key, in the order keys first appear; nested values as short JSON. */
function table(items: unknown[]): string {
  if (items.length === 0) return '(none)';
  const rows = items.map((item) => (isRecord(item) ? item : { value: item }));
  const keys = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return columns([keys.map((key) => key.toUpperCase()), ...rows.map((row) => keys.map((key) => cell(row[key], 40)))]);
}

/** `[path, value]` for every scalar under `value`, with dotted paths: `integrations.0.slug`. */
function leaves(value: unknown, path: string): [string, string][] {
  if (Array.isArray(value) ? value.length === 0 : isRecord(value) ? Object.keys(value).length === 0 : true) return [[path, cell(value)]];
  return Object.entries(value as Row).flatMap(([key, item]) => leaves(item, path ? `${path}.${key}` : key));
}

/**
 * A result for a person: a page or a list of items as a table (with the page's position under it), one
 * record (`{ "customer": {...} }` unwrapped) as key/value lines.
 */
function human(result: unknown): string {
  if (Array.isArray(result)) return `${table(result)}\n`;
  if (isRecord(result) && Array.isArray(result.data)) {
    const meta = isRecord(result.meta) ? result.meta : {};
    const position = meta.current_page !== undefined ? `\npage ${meta.current_page} of ${meta.last_page}${meta.total !== undefined ? `, ${meta.total} in all` : ''}` : '';
    return `${table(result.data)}${position}\n`;
  }
  const entries = isRecord(result) ? Object.values(result) : [];
  const record = entries.length === 1 && isRecord(entries[0]) ? entries[0] : result;
  return `${columns(leaves(record, '').map(([key, value]) => [key, value]))}\n`;
}

/** The result as the mode wants it: JSON exactly as the API sent it (re-indented), or {@link human}. */
export const render = (result: unknown, mode: OutputMode): string => (mode === 'json' ? `${JSON.stringify(result, null, 2)}\n` : human(result));
