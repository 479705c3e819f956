// What a tool answers when it fails: a result with `isError`, its text saying what went wrong and what
// to do next, never a stack and never a token.
import { ConnectError } from '@reportei-connect/client';

/** A failure the tool reports as it is: its message is meant for the model and the person behind it. */
export class ToolError extends Error {
  override readonly name = 'ToolError';
}

/** The text of a failed call: the client's message (each invalid field of a 422 on its own line) and what to check. */
export function errorText(error: unknown): string {
  if (error instanceof ConnectError) {
    const lines = [`${error.message}${error.status ? ` (${error.status} from ${error.method} ${error.path})` : ''}`];
    for (const [field, messages] of Object.entries(error.errors ?? {})) for (const message of messages) lines.push(`  ${field}: ${message}`);
    if (error.status === 401) {
      lines.push('The API refused a token this server holds: check REPORTEI_CONNECT_TOKEN, and for a customer its token in --customer-tokens or REPORTEI_CONNECT_CUSTOMER_TOKEN. Do not ask the user for a token: it is configured where the server runs.');
    }
    if (error.status === 0) lines.push('No answer from the API: check REPORTEI_CONNECT_BASE_URL where the server runs (for the local sandbox, that it is started).');
    return lines.join('\n');
  }
  if (error instanceof ToolError) return error.message;
  // The client's own checks of its input (a missing path field, an unknown reference key) throw
  // TypeError and RangeError with a message that names the field.
  if (error instanceof TypeError || error instanceof RangeError) return error.message;
  return `Unexpected error, please report it: ${error instanceof Error ? error.message : String(error)}`;
}
