import { sendRaw, type Exchange } from '../exchange.js';
import type { Fixtures } from '../fixtures.js';
import type { OperationContract, RequestInput } from '../operations.js';
import type { OpenApiDocument, OperationSpec } from '../spec.js';
import type { SchemaValidator } from '../validator.js';

export interface RunContext {
  validator: SchemaValidator;
  fixtures: Fixtures;
}

export interface ContractCase {
  /** Always starts with the operationId, so that any report names the operation. */
  name: string;
  /** Resolves when the server honoured the contract; throws a ContractViolationError when not, or {@link Unavailable} to skip. */
  run(context: RunContext): Promise<void>;
}

/** What case builders read: the document and its validator. */
export interface SpecContext {
  document: OpenApiDocument;
  validator: SchemaValidator;
}

/** Turns one operation and its contract into cases: positive, negative or property (see src/cases/). */
export type CaseBuilder = (operation: OperationSpec, contract: OperationContract, spec: SpecContext) => ContractCase[];

/** Sends `input` to the operation as written, valid or not, with these headers. */
export function send(operation: OperationSpec, fixtures: Fixtures, input: RequestInput, headers: Record<string, string>): Promise<Exchange> {
  return sendRaw({ baseUrl: fixtures.config.baseUrl, method: operation.method, path: operation.path, pathParams: input.path, query: input.query, headers, body: input.body });
}
