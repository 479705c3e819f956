import { randomUUID } from 'node:crypto';
import { Unavailable, type Fixtures } from './fixtures.js';
import type { OperationContract, RequestInput } from './operations.js';
import type { OperationSpec } from './spec.js';

/**
 * What may reach a server. The mock keeps no state, so everything runs there; on a server, an
 * operation that changes state runs only with writes allowed, and one whose real call is forbidden
 * (its contract's `positiveOnServer`) only gets cases that cannot reach a real record, unless the
 * server's records are disposable (the sandbox).
 */

export const onServer = (fixtures: Fixtures): boolean => !fixtures.onMock;

/** A server whose records matter: not the mock, and not a disposable server such as the sandbox. */
export const realRecords = (fixtures: Fixtures): boolean => onServer(fixtures) && !fixtures.config.disposable;

/** Against a server, nothing reaches an operation that changes state unless writes are allowed. */
export function guardWrites(operation: OperationSpec, fixtures: Fixtures): void {
  if (onServer(fixtures) && operation.changesState && !fixtures.config.allowWrites) {
    throw new Unavailable(
      `${operation.id} changes state on the server (${operation.method}, not marked x-changes-state: false): set CONNECT_ALLOW_WRITES=1 to test it on a server (the run creates a customer, uses it and deletes it)`,
    );
  }
}

/**
 * Against a server, an operation whose real call is forbidden gets only its 401 and 404 cases, with
 * random uuids in its path: even a server that wrongly ignored a missing token could not reach the
 * real record. Its positive, 422 and property cases would need the real record, so they do not run there.
 */
export function guardDestructive(operation: OperationSpec, contract: OperationContract, fixtures: Fixtures): void {
  if (realRecords(fixtures) && contract.positiveOnServer) {
    throw new Unavailable(`on a server ${operation.id} only gets its 401 and 404 cases, with random uuids: ${contract.positiveOnServer}`);
  }
}

/** The contract's valid request, with random uuids in the path on a server when the operation's real call is forbidden. */
export async function safeBaseline(contract: OperationContract, fixtures: Fixtures): Promise<RequestInput> {
  const input = await contract.input(fixtures);
  if (!realRecords(fixtures) || !contract.positiveOnServer) return input;
  return { ...input, path: Object.fromEntries(Object.keys(input.path ?? {}).map((name) => [name, randomUUID()])) };
}
