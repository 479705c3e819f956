import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';

const specDir = fileURLToPath(new URL('..', import.meta.url));

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** The bundled document, as the package exports it. */
export const bundled = JSON.parse(readFileSync(`${specDir}dist/openapi.json`, 'utf8')) as JsonObject;

/**
 * Ajv (JSON Schema 2020-12, formats on) with the bundled document registered under `openapi`, so any
 * JSON pointer into it can be compiled as a schema, `$ref`s included.
 */
export function createValidator(document: JsonObject = bundled) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  // ajv-formats is CommonJS: under NodeNext its default import is `module.exports`, the plugin is `.default`.
  ajvFormats.default(ajv);
  ajv.addSchema(document, 'openapi');
  return (pointer: string) => {
    const validate = ajv.getSchema(`openapi#${pointer}`);
    if (!validate) throw new Error(`No schema at ${pointer}`);
    return (value: unknown) => (validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`));
  };
}

/** Every entry of every `payloads/<integration>/metrics.json` (some files call the list `widgets`). */
export function payloadEntries(): { integration: string; index: number; entry: JsonObject }[] {
  const root = `${specDir}payloads`;
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => {
      const file = JSON.parse(readFileSync(`${root}/${d.name}/metrics.json`, 'utf8')) as { metrics?: JsonObject[]; widgets?: JsonObject[] };
      return (file.metrics ?? file.widgets ?? []).map((entry, index) => ({ integration: d.name, index, entry }));
    });
}
