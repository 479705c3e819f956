// The built site (dist/), as the tests read it.

import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export const distDir = fileURLToPath(new URL('../dist/', import.meta.url));
export const testOutputDir = fileURLToPath(new URL('../test-output/', import.meta.url));

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

export interface OperationSummary {
  operationId: string;
  method: string;
  path: string;
  summary: string;
  tag: string;
  operation: Record<string, any>;
}

/** The OpenAPI document the site publishes (dist/openapi.json, with its x-codeSamples). */
export async function readPublishedDocument(): Promise<Record<string, any>> {
  return JSON.parse(await readFile(`${distDir}openapi.json`, 'utf8'));
}

/** Every operation under `paths`, in document order. */
export function operationsOf(document: Record<string, any>): OperationSummary[] {
  return Object.entries<Record<string, any>>(document.paths).flatMap(([path, pathItem]) =>
    HTTP_METHODS.filter((method) => pathItem[method] !== undefined).map((method) => ({
      operationId: pathItem[method].operationId,
      method: method.toUpperCase(),
      path,
      summary: pathItem[method].summary,
      tag: pathItem[method].tags[0],
      operation: pathItem[method],
    })),
  );
}
