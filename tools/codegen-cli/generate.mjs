// Turns an OpenAPI 3.1 document into the command table of @reportei-connect/cli: one command per
// operation, grouped by its first tag, with a flag per path, query and body field (its kind, whether it
// is required, its enum, its description) and help text from the operation's summary and description.
// The CLI calls the operations through @reportei-connect/client, which takes path, query and body
// fields in one object, so the fields are the client's (codegen-client's `clientOperations`); this adds
// the names, kinds and texts a command line needs.
import { clientOperations } from '@reportei-connect/codegen-client';
import { CodegenError, literal, metricRequestsField, paginatesPages, quote } from '@reportei-connect/codegen-core';
import { declaredTypes, flattenAllOf, isObject, validatorOptions } from '@reportei-connect/spec-model';
import { Ajv2020 } from 'ajv/dist/2020.js';
import standalone from 'ajv/dist/standalone/index.js';
import ajvFormats from 'ajv-formats';

/**
 * @typedef {import('@reportei-connect/spec-model').OpenApiDocument} OpenApiDocument
 * @typedef {import('@reportei-connect/spec-model').JsonSchema} JsonSchema
 * @typedef {import('@reportei-connect/codegen-client').ClientOperation} ClientOperation
 */

/**
 * The flags the CLI defines itself, on every command or on the program: a field whose flag would be one
 * of them cannot have its own. `--no-json` is the negation of `--json`.
 */
export const RESERVED_FLAGS = ['token', 'customer-token', 'base-url', 'sandbox', 'json', 'no-json', 'help', 'version', 'data', 'all', 'metric'];

/**
 * @typedef {'string' | 'integer' | 'number' | 'boolean' | 'json'} FlagKind `json`: an object, or a list
 *   of objects, given as JSON text
 *
 * @typedef {object} CliFlag
 * @property {string} flag the flag without its dashes: `per-page`
 * @property {string} field the field it fills: `per_page`
 * @property {'path' | 'query' | 'body'} in
 * @property {FlagKind} kind of the value, or of each value when `multiple`
 * @property {boolean} multiple a list of scalars: the flag may be repeated
 * @property {boolean} required
 * @property {string[]} [choices] the enum of the value (of each value when `multiple`)
 * @property {string} description one line, with the value's format and default
 * @property {string} [schemaPointer] the JSON pointer of a path or query parameter's schema; body
 *   fields are checked with the whole body
 *
 * @typedef {object} CliCommand
 * @property {string} name `list`, `get-settings`
 * @property {string} operationId the client's method
 * @property {string} summary
 * @property {string} [description]
 * @property {boolean} customerToken it needs the customer token
 * @property {boolean} paginated it takes `page` and answers `{ data, meta: { last_page } }`: `--all` follows the pages
 * @property {{ schemaPointer: string, required: boolean }} [body] it takes a JSON body: `--data` gives it whole
 * @property {string} [metricsField] the body field that also takes catalogue metrics (`--metric`)
 * @property {CliFlag[]} flags
 *
 * @typedef {object} CliGroup
 * @property {string} name the tag, in kebab case: `customer-integrations`
 * @property {string} tag the tag as written
 * @property {string} [description] the tag's description
 * @property {CliCommand[]} commands
 */

/** Kebab case: `Customer integrations` and `customer_integrations` become `customer-integrations`. @param {string} text */
const kebab = (text) => text.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** A word without its plural `s`, so that `Customers` names the `Customer` of `getCustomer`. @param {string} word */
const stem = (word) => word.replace(/s$/, '');

/**
 * The command's name: the operationId in kebab case without the words of its group, so that
 * `listCustomers` in `Customers` is `list` and `updateCustomerPaymentStatus` is `update-payment-status`.
 * @param {string} operationId
 * @param {string} group
 */
export function commandName(operationId, group) {
  const groupWords = new Set(group.split('-').map(stem));
  return kebab(operationId)
    .split('-')
    .filter((word) => !groupWords.has(stem(word)))
    .join('-');
}

/** Text on one line: help prints flags one per line. @param {unknown} text */
const oneLine = (text) => (typeof text === 'string' ? text.replace(/\s+/g, ' ').trim() : '');

/**
 * The kind of a flag's value, whether it repeats, and its enum.
 * @param {OpenApiDocument} document
 * @param {JsonSchema} schema the field's schema, `$ref`s followed
 * @returns {{ kind: FlagKind, multiple: boolean, choices?: string[] }}
 */
function valueShape(document, schema) {
  const types = declaredTypes(schema) ?? [];
  if (types.includes('array')) {
    const items = flattenAllOf(document, schema.items);
    const inner = valueShape(document, items);
    return inner.kind === 'json' || inner.multiple ? { kind: 'json', multiple: false } : { ...inner, multiple: true };
  }
  const scalar = /** @type {const} */ (['boolean', 'integer', 'number', 'string']).find((type) => types.length === 1 && types[0] === type);
  if (!scalar) return { kind: 'json', multiple: false };
  const choices = Array.isArray(schema.enum) && schema.enum.every((value) => typeof value === 'string') ? /** @type {string[]} */ (schema.enum) : undefined;
  return { kind: scalar, multiple: false, ...(choices && { choices }) };
}

/**
 * One flag's help line: its description, then its format and default where the schema gives them.
 * @param {unknown} description
 * @param {JsonSchema} schema
 */
function helpLine(description, schema) {
  const format = typeof schema.format === 'string' ? schema.format : isObject(schema.items) && typeof schema.items.format === 'string' ? schema.items.format : undefined;
  const notes = [format && `format: ${format}`, schema.default !== undefined && `default: ${JSON.stringify(schema.default)}`].filter(Boolean);
  return [oneLine(description ?? schema.description), notes.length ? `(${notes.join('; ')})` : ''].filter(Boolean).join(' ');
}

/**
 * The flags of an operation: its path and query parameters, then the properties of its body.
 * @param {OpenApiDocument} document
 * @param {ClientOperation} operation
 * @param {string} where for error messages
 * @returns {CliFlag[]}
 */
function flagsOf(document, operation, where) {
  /** @type {CliFlag[]} */
  const flags = operation.model.parameters
    .filter((parameter) => parameter.in === 'path' || parameter.in === 'query')
    .map((parameter) => ({
      flag: kebab(parameter.name),
      field: parameter.name,
      in: /** @type {'path' | 'query'} */ (parameter.in),
      ...valueShape(document, parameter.schema),
      required: parameter.required,
      description: helpLine(parameter.description, parameter.schema),
      ...(parameter.schemaPointer && { schemaPointer: parameter.schemaPointer }),
    }));
  if (operation.model.requestBody) {
    const body = flattenAllOf(document, operation.model.requestBody.schema);
    const required = Array.isArray(body.required) ? body.required : [];
    for (const field of operation.bodyFields ?? []) {
      const schema = flattenAllOf(document, isObject(body.properties) ? body.properties[field] : undefined);
      flags.push({ flag: kebab(field), field, in: 'body', ...valueShape(document, schema), required: required.includes(field), description: helpLine(undefined, schema) });
    }
  }
  /** @type {Map<string, string>} */
  const seen = new Map();
  for (const { flag, field } of flags) {
    if (!/^[a-z][a-z0-9-]*$/.test(flag)) throw new CodegenError(`${where}: field "${field}" makes no flag name (letters, digits, - and _ only, starting with a letter); rename it.`);
    if (RESERVED_FLAGS.includes(flag)) {
      throw new CodegenError(`${where}: field "${field}" would be the flag --${flag}, which the CLI uses itself (${RESERVED_FLAGS.map((name) => `--${name}`).join(', ')}); rename the field.`);
    }
    const other = seen.get(flag);
    if (other) throw new CodegenError(`${where}: fields "${other}" and "${field}" would both be the flag --${flag}; rename one of them.`);
    seen.set(flag, field);
  }
  return flags;
}

/**
 * The commands of a document, grouped by tag in the order the groups' first operations appear.
 * @param {OpenApiDocument} document
 * @returns {CliGroup[]}
 */
export function cliGroups(document) {
  const { operations } = clientOperations(document);
  const tags = Array.isArray(document.tags) ? document.tags.filter(isObject) : [];
  /** @type {Map<string, CliGroup>} */
  const groups = new Map();
  /** @type {Map<string, string>} the operationId of each `group command` */
  const owners = new Map();
  for (const operation of operations) {
    const { id, method, path, model } = operation;
    const where = `${id} (${method} ${path})`;
    const tag = model.tags[0];
    if (tag === undefined) throw new CodegenError(`${where}: the operation has no tag; the CLI groups its commands by their first tag, so give it one.`);
    const groupName = kebab(tag);
    const name = commandName(id, groupName);
    if (!groupName || !name) {
      throw new CodegenError(`${where}: no command name is left once the words of its tag "${tag}" are taken from the operationId; name the operation after what it does (such as list${tag.replace(/\W/g, '')}).`);
    }
    const owner = owners.get(`${groupName} ${name}`);
    if (owner) throw new CodegenError(`${where}: its command would be "${groupName} ${name}", as ${owner}'s is; rename one of the operations.`);
    owners.set(`${groupName} ${name}`, id);

    let group = groups.get(groupName);
    if (!group) {
      const description = oneLine(tags.find((candidate) => candidate.name === tag)?.description);
      group = { name: groupName, tag, ...(description && { description }), commands: [] };
      groups.set(groupName, group);
    }
    const metricsField = metricRequestsField(document, model);
    const description = model.description?.trim();
    group.commands.push({
      name,
      operationId: id,
      summary: oneLine(model.summary) || `${method} ${path}`,
      ...(description && { description }),
      customerToken: operation.requiresCustomerToken,
      paginated: paginatesPages(document, model),
      ...(model.requestBody && { body: { schemaPointer: model.requestBody.schemaPointer, required: model.requestBody.required } }),
      ...(metricsField && { metricsField }),
      flags: flagsOf(document, operation, where),
    });
  }
  return [...groups.values()];
}

/**
 * The TypeScript source of the CLI's `src/generated/commands.ts` (without its first, "generated" line).
 * @param {CliGroup[]} groups
 */
export function generateCommands(groups) {
  return `import type { CommandGroup } from '../command-table.js';

/** Every operation of the spec as a command, grouped by tag: \`connect <group> <command> [flags]\`. */
export const commandGroups: readonly CommandGroup[] = ${literal(groups, '')};
`;
}

/**
 * The source of `src/generated/validators.ts`: the schema of each parameter and body of the table,
 * compiled by Ajv (JSON Schema 2020-12 with formats, as spec-model's validator) to standalone code, so
 * the CLI checks its input without loading Ajv or the document. `validators` maps each schema's JSON
 * pointer to its validation function, which reports Ajv's `errors`.
 * @param {OpenApiDocument} document
 * @param {CliGroup[]} groups
 */
export function generateValidators(document, groups) {
  const pointers = [
    ...new Set(groups.flatMap((group) => group.commands.flatMap((command) => [...command.flags.flatMap((flag) => flag.schemaPointer ?? []), ...(command.body ? [command.body.schemaPointer] : [])]))),
  ];
  const ajv = new Ajv2020({ ...validatorOptions, verbose: false, code: { source: true, esm: true } });
  ajvFormats.default(ajv);
  ajv.addSchema(document, 'openapi.json');
  const exports = Object.fromEntries(pointers.map((pointer, index) => [`v${index}`, `openapi.json#${pointer}`]));
  for (const ref of Object.values(exports)) ajv.getSchema(ref);
  // An ES module is strict already: Ajv's "use strict" would follow the imports, where it means nothing.
  const code = standalone.default(ajv, exports).replace(/^"use strict";/, '');
  const table = pointers.map((pointer, index) => `  ${quote(pointer)}: v${index},\n`).join('');
  // Ajv's code loads its few run-time helpers (formats, string length) with require(), which an ES
  // module makes for itself.
  return `// @ts-nocheck: Ajv's generated code.\nimport { createRequire } from 'node:module';\n\nconst require = createRequire(import.meta.url);\n${code}\n\n/** The validation function of each schema, by its JSON pointer in the document. */\nexport const validators = {\n${table}};\n`;
}

/** @type {import('@reportei-connect/codegen-core').Generator} */
export const generator = {
  name: '@reportei-connect/codegen-cli',
  bin: 'connect-codegen-cli',
  output: "the directory of the CLI's command table (commands.ts) and input validators (validators.ts)",
  generate: ({ document }) => {
    const groups = cliGroups(document);
    return { 'commands.ts': generateCommands(groups), 'validators.ts': generateValidators(document, groups) };
  },
};
