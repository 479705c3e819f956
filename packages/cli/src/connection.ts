// Which server and which tokens a command uses: flags first, then the REPORTEI_CONNECT_* variables
// (commander reads those into the same options), then `--sandbox`'s defaults.
import { addSecret, UsageError } from './output.js';

/**
 * The local sandbox's address and merchant token as `connect-sandbox` starts it by default
 * (DEFAULT_HOST, DEFAULT_PORT, API_PREFIX and DEFAULT_MERCHANT_TOKEN of @reportei-connect/sandbox; a
 * test checks they agree). Written here because importing the sandbox would cost every `--sandbox`
 * command about a second of start-up.
 */
export const SANDBOX = { baseUrl: 'http://127.0.0.1:4011/api', token: 'sandbox-merchant-token' } as const;

/** The program's own options, as commander parsed them. */
export interface GlobalOptions {
  token?: string;
  customerToken?: string;
  baseUrl?: string;
  sandbox?: boolean;
  json?: boolean;
}

export interface Connection {
  token: string;
  baseUrl: string | undefined;
  customerToken: string | undefined;
}

/**
 * The server and tokens for a command, or a one-line `UsageError` naming the variable or flag to set.
 * The tokens become secrets the output never shows.
 */
export function connection(options: GlobalOptions, needsCustomerToken: boolean): Connection {
  const token = options.token || (options.sandbox ? SANDBOX.token : undefined);
  if (!token) throw new UsageError('no merchant token: set REPORTEI_CONNECT_TOKEN or pass --token <token> (or --sandbox for the local sandbox).');
  const customerToken = needsCustomerToken ? options.customerToken : undefined;
  if (needsCustomerToken && !customerToken) {
    throw new UsageError("this command acts as a customer: set REPORTEI_CONNECT_CUSTOMER_TOKEN or pass --customer-token <token> (the customer's api_token).");
  }
  addSecret(token);
  addSecret(customerToken);
  return { token, customerToken, baseUrl: options.sandbox ? SANDBOX.baseUrl : options.baseUrl };
}
