/** Whether `value` is an absolute http or https URL: the one kind of address the sandbox links to or POSTs to. */
export function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string' || /\s/.test(value)) return false;
  try {
    const { protocol, host } = new URL(value);
    return (protocol === 'http:' || protocol === 'https:') && host !== '';
  } catch {
    return false;
  }
}
