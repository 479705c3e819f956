// The built site (dist/), as the tests read it.

import { fileURLToPath } from 'node:url';
import { listOperations, loadDocument, valueAt, type Auth, type OpenApiDocument } from '@reportei-connect/spec-model';

export const distDir = fileURLToPath(new URL('../dist/', import.meta.url));
export const testOutputDir = fileURLToPath(new URL('../test-output/', import.meta.url));

export interface OperationSummary {
  operationId: string;
  /** Upper case: `GET`. */
  method: string;
  path: string;
  summary: string;
  tag: string;
  /** Who must authenticate, as @reportei-connect/spec-model reads the operation's security. */
  auth: Auth;
  /** The operation object itself, as published (with its x-codeSamples): changing it changes the document. */
  operation: Record<string, any>;
}

/** The OpenAPI document the site publishes (dist/openapi.json, with its x-codeSamples). */
export async function readPublishedDocument(): Promise<Record<string, any>> {
  return loadDocument(`${distDir}openapi.json`);
}

/**
 * The operationIds of the spec the site is built from (@reportei-connect/openapi), in document order:
 * the site must show exactly these, however many the spec has.
 */
export function specOperationIds(): string[] {
  return listOperations(loadDocument(fileURLToPath(import.meta.resolve('@reportei-connect/openapi/openapi.json')))).map((operation) => operation.id);
}

/** Every operation under `paths`, in document order, as @reportei-connect/spec-model lists them. */
export function operationsOf(document: Record<string, any>): OperationSummary[] {
  return listOperations(document as OpenApiDocument).map((operation) => ({
    operationId: operation.id,
    method: operation.method,
    path: operation.path,
    summary: operation.summary ?? '',
    tag: operation.tags[0] ?? '',
    auth: operation.auth,
    operation: valueAt(document, operation.pointer),
  }));
}
