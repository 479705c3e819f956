// Pure helpers shared by the benchmark sections: statistics and plain-text tables.

/**
 * The median of a non-empty list of numbers (the mean of the two middle values for an even count).
 * @param {readonly number[]} values
 * @returns {number}
 */
export function median(values) {
  if (values.length === 0) throw new RangeError('median() needs at least one value');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const at = (/** @type {number} */ index) => /** @type {number} */ (sorted[index]);
  return sorted.length % 2 === 1 ? at(middle) : (at(middle - 1) + at(middle)) / 2;
}

/**
 * Spread of a sample around its median, as a fraction of the median: (max - min) / median.
 * Printed next to each median so a reader can tell a stable figure from a noisy one.
 * @param {readonly number[]} values
 * @returns {number}
 */
export function relativeSpread(values) {
  return (Math.max(...values) - Math.min(...values)) / median(values);
}

/**
 * How `values` compare with `baseline`, measured in the same rounds: the median of the per-round
 * ratios, which cancels the drift between rounds that comparing two medians would keep.
 * @param {readonly number[]} values
 * @param {readonly number[]} baseline
 */
export function pairedRatio(values, baseline) {
  return median(values.map((value, index) => value / (baseline[index] ?? Number.NaN)));
}

/**
 * Rounds to a fixed number of decimals and returns a number (for results.json, not for display).
 * @param {number} value
 * @param {number} decimals
 */
export function round(value, decimals) {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** A number, or a number followed by a short unit ("1.04x", "812 µs", "3.2 s"), aligns right. */
const NUMERIC_CELL = /^[-+]?\d[\d.,]*(?: ?[a-zµ%]{1,3})?$/i;

/** @param {unknown} cell */
function looksNumeric(cell) {
  return typeof cell === 'number' || (typeof cell === 'string' && NUMERIC_CELL.test(cell));
}

/**
 * Renders rows as a GitHub-flavoured Markdown table, which also reads well in a terminal.
 * Numeric columns (numbers, or numbers with a short unit) are right-aligned, everything else left-aligned; `null`/`undefined` cells print as "-".
 * @param {readonly string[]} headers
 * @param {ReadonlyArray<ReadonlyArray<string | number | null | undefined>>} rows
 * @returns {string}
 */
export function formatTable(headers, rows) {
  const cells = rows.map((row) => headers.map((_, column) => row[column] ?? '-'));
  const numeric = headers.map((_, column) => cells.length > 0 && cells.every((row) => looksNumeric(row[column])));
  const text = cells.map((row) => row.map(String));
  const widths = headers.map((header, column) =>
    Math.max(header.length, 3, ...text.map((row) => String(row[column]).length)),
  );
  const line = (/** @type {readonly string[]} */ values) =>
    `| ${values
      .map((value, column) => (numeric[column] ? value.padStart(widths[column] ?? 0) : value.padEnd(widths[column] ?? 0)))
      .join(' | ')} |`;
  const rule = `| ${widths
    .map((width, column) => (numeric[column] ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width)))
    .join(' | ')} |`;
  return [line(headers), rule, ...text.map(line)].join('\n');
}
