import { fileURLToPath } from 'node:url';
import { loadDocument, loadPayloads } from '@reportei-connect/spec-model';

const specDir = fileURLToPath(new URL('..', import.meta.url));

/** The bundled document, as the package exports it. */
export const bundled = loadDocument(`${specDir}dist/openapi.json`);

/** Every entry of every `payloads/<integration>/metrics.json`, duplicates included. */
export function payloadEntries() {
  return loadPayloads(`${specDir}payloads`).flatMap(({ slug, entries }) => entries.map((entry, index) => ({ integration: slug, index, entry })));
}
