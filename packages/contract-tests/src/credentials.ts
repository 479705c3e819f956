import type { Credential, OperationSpec } from './spec.js';

/**
 * The credentials of a request, as the spec's security schemes describe them: which header each one
 * travels in and how its value is written come from `components.securitySchemes` (through
 * spec-model), never from names written here. Only the tokens come from the target.
 */

/** The token for one credential on the target under test: the merchant's for the bearer scheme, a customer's for the API key scheme. */
export type TokenSource = (credential: Credential) => Promise<string>;

/** The headers carrying an operation's credentials, every one or all but the scheme named `without`. */
export async function credentialHeaders(operation: OperationSpec, token: TokenSource, without?: string): Promise<Record<string, string>> {
  const headers: Record<string, string> = {};
  for (const credential of operation.credentials) {
    if (credential.scheme !== without) headers[credential.header] = credential.format(await token(credential));
  }
  return headers;
}

/** A credential as case names say it: `customerToken (x-customer-token)`, the scheme's name and its header. */
export const describeCredential = (credential: Credential): string => `${credential.scheme} (${credential.header})`;
