// The one writer of TypeScript literals for every generator: strings in single quotes with whatever
// they hold escaped, identifier keys bare, other keys quoted.

/** @type {Record<string, string>} */
const ESCAPES = { "'": "\\'", '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u2028': '\\u2028', '\u2029': '\\u2029' };

/**
 * A TypeScript (and JavaScript) string literal of `text`, in single quotes: `'`, `\`, line breaks and
 * control characters escaped, so any text, `"` and `'` included, reads back as itself.
 * @param {string} text
 */
export function quote(text) {
  const escaped = text.replace(/['\\\n\r\t\u2028\u2029\u0000-\u001f\u007f]/g, (char) => ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `'${escaped}'`;
}

/** @param {string} name */
export const isIdentifier = (name) => /^[A-Za-z_$][\w$]*$/.test(name);

/** An object key: bare when it is an identifier, quoted otherwise. @param {string} key */
export const propertyKey = (key) => (isIdentifier(key) ? key : quote(key));

/**
 * A JSON value as a TypeScript expression. Without `indent`, on one line: `{ id: 'a', tags: ['x', 'y'] }`.
 * With `indent` (the indentation of the line the value starts on), one property or item per line,
 * two spaces deeper, and arrays of scalars kept on one line.
 * @param {unknown} value
 * @param {string} [indent]
 * @returns {string}
 */
export function literal(value, indent) {
  if (typeof value === 'string') return quote(value);
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${value} has no JSON literal.`);
    return String(value);
  }
  const inner = indent === undefined ? undefined : `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((item) => literal(item, inner));
    if (inner === undefined || value.every((item) => item === null || typeof item !== 'object')) return `[${items.join(', ')}]`;
    return `[\n${items.map((item) => inner + item).join(',\n')},\n${indent}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    const properties = entries.map(([key, item]) => `${propertyKey(key)}: ${literal(item, inner)}`);
    if (inner === undefined) return `{ ${properties.join(', ')} }`;
    return `{\n${properties.map((property) => inner + property).join(',\n')},\n${indent}}`;
  }
  throw new TypeError(`A ${typeof value} has no JSON literal.`);
}
