// Compares two bundled OpenAPI 3.1 documents and sorts every difference that matters to a client
// into breaking and non-breaking changes. Pure: documents in, a list of changes out.
//
// Requests and responses are judged in opposite directions. A request schema that accepts less than
// before breaks clients that send what it used to accept; a response that may now carry something a
// client never saw before (a removed field, a field no longer required, a wider type) breaks clients
// that read it. Additions a client can ignore are non-breaking.

/**
 * @typedef {import('@reportei-connect/spec-model').AnyObject} JsonObject a JSON object of the document, read field by field
 * @typedef {JsonObject | any[] | string | number | boolean | null} Json
 * @typedef {'removed-operation' | 'added-operation' | 'removed-parameter' | 'added-parameter' | 'parameter-now-required' | 'parameter-now-optional'
 *   | 'removed-request-body' | 'added-request-body' | 'request-body-now-required' | 'request-body-now-optional'
 *   | 'removed-field' | 'added-field' | 'new-required-field' | 'field-now-required' | 'field-now-optional'
 *   | 'narrowed-type' | 'widened-type' | 'narrowed-enum' | 'widened-enum' | 'narrowed-constraint' | 'widened-constraint' | 'changed-constraint'
 *   | 'removed-status' | 'added-status' | 'removed-media-type' | 'added-media-type' | 'removed-header' | 'added-header' | 'header-now-optional'
 *   | 'added-security' | 'removed-security' | 'changed-security-scheme'} Rule
 * @typedef {{ rule: Rule, breaking: boolean, operation: string, where: string, message: string }} Change
 * @typedef {import('@reportei-connect/spec-model').OpenApiDocument} OpenApiDocument
 * @typedef {import('@reportei-connect/spec-model').OperationEntry} OperationEntry
 * @typedef {import('@reportei-connect/spec-model').ParameterModel} ParameterModel
 */

import { flattenAllOf, isObject, operationEntries, parametersOf as mergedParameters, pointerOf, resolveRef } from '@reportei-connect/spec-model';

/** The `$ref` of a node, if it is a reference. @param {unknown} node @returns {string | undefined} */
const refIn = (node) => (isObject(node) && typeof node.$ref === 'string' ? node.$ref : undefined);

/**
 * The operations of a document as written (spec-model's entries, without the rules of its model: any
 * document can be compared), keyed by method and path shape (`GET /customers/{}`), so that a renamed
 * path parameter is not mistaken for a removed operation.
 * @param {JsonObject} document
 */
function operationsOf(document) {
  /** @type {Map<string, OperationEntry & { label: string }>} */
  const operations = new Map();
  for (const entry of operationEntries(/** @type {OpenApiDocument} */ (document))) {
    const label = `${entry.method} ${entry.path}${entry.operationId !== undefined ? ` (${entry.operationId})` : ''}`;
    operations.set(`${entry.method} ${entry.path.replace(/\{[^}]*\}/g, '{}')}`, { ...entry, label });
  }
  return operations;
}

const allTypes = ['string', 'number', 'integer', 'boolean', 'null', 'array', 'object'];

/** The JSON types a schema accepts; every type when it does not say. */
function typesOf(/** @type {JsonObject} */ schema) {
  if (schema.type === undefined) {
    if (isObject(schema.properties)) return new Set(['object']);
    return new Set(allTypes);
  }
  return new Set(/** @type {string[]} */ ([]).concat(/** @type {string | string[]} */ (schema.type)));
}

/** Whether a value of `type` is still accepted by the set `accepted` (an integer is a number). */
const accepts = (/** @type {Set<string>} */ accepted, /** @type {string} */ type) => accepted.has(type) || (type === 'integer' && accepted.has('number'));

/** Lower bounds: a bigger value accepts less. Upper bounds: a smaller value accepts less. */
const lowerBounds = ['minLength', 'minimum', 'exclusiveMinimum', 'minItems', 'minProperties'];
const upperBounds = ['maxLength', 'maximum', 'exclusiveMaximum', 'maxItems', 'maxProperties'];
/** Constraints that accept less when added or changed, and more when removed. */
const exactConstraints = ['pattern', 'format', 'const', 'multipleOf'];

/**
 * Compares two schemas of the same place. `side` is the direction: `request` (the client sends it)
 * or `response` (the client reads it).
 */
class SchemaComparison {
  /**
   * @param {JsonObject} before @param {JsonObject} after
   * @param {(rule: Rule, breaking: boolean, where: string, message: string) => void} report
   */
  constructor(before, after, report) {
    this.before = before;
    this.after = after;
    this.report = report;
    /** @type {Set<string>} pairs of $refs being compared, to stop on recursive schemas */
    this.visiting = new Set();
  }

  /**
   * @param {Json | undefined} beforeNode @param {Json | undefined} afterNode
   * @param {'request' | 'response'} side
   * @param {string} place what holds the schema, such as `response 200 body` or `query parameter page`
   * @param {string} pointer where in the value, such as `/customer/name` (`[]` stands for every item)
   */
  compare(beforeNode, afterNode, side, place, pointer = '') {
    const refOf = (/** @type {Json | undefined} */ node) => refIn(node) ?? '';
    // Only a pair of $refs can lead back to itself: inline schemas are finite.
    const key = refOf(beforeNode) || refOf(afterNode) ? `${refOf(beforeNode)}|${refOf(afterNode)}|${side}` : undefined;
    if (key !== undefined) {
      if (this.visiting.has(key)) return;
      this.visiting.add(key);
    }
    try {
      this.compareFlat(flattenAllOf(this.before, beforeNode), flattenAllOf(this.after, afterNode), side, place, pointer);
    } finally {
      if (key !== undefined) this.visiting.delete(key);
    }
  }

  /** @param {JsonObject} before @param {JsonObject} after @param {'request' | 'response'} side @param {string} place @param {string} pointer */
  compareFlat(before, after, side, place, pointer) {
    const request = side === 'request';
    const at = pointer ? `${place} ${pointer}` : place;

    const beforeTypes = typesOf(before);
    const afterTypes = typesOf(after);
    const lost = [...beforeTypes].filter((type) => !accepts(afterTypes, type));
    const gained = [...afterTypes].filter((type) => !accepts(beforeTypes, type));
    if (lost.length) this.report('narrowed-type', request, at, `no longer accepts ${lost.join(', ')} (type ${[...beforeTypes].join('|')} -> ${[...afterTypes].join('|')})`);
    if (gained.length) this.report('widened-type', !request, at, `may now be ${gained.join(', ')} (type ${[...beforeTypes].join('|')} -> ${[...afterTypes].join('|')})`);

    this.compareEnums(before, after, request, at);
    this.compareConstraints(before, after, request, at);
    this.compareAlternatives(before, after, side, place, pointer);

    if (afterTypes.has('object') || beforeTypes.has('object')) this.compareObjects(before, after, side, place, pointer);
    if ((afterTypes.has('array') || beforeTypes.has('array')) && (before.items !== undefined || after.items !== undefined)) {
      this.compare(before.items ?? true, after.items ?? true, side, place, `${pointer}/[]`);
    }
  }

  /** @param {JsonObject} before @param {JsonObject} after @param {boolean} request @param {string} at */
  compareEnums(before, after, request, at) {
    const beforeValues = Array.isArray(before.enum) ? before.enum.map((value) => JSON.stringify(value)) : undefined;
    const afterValues = Array.isArray(after.enum) ? after.enum.map((value) => JSON.stringify(value)) : undefined;
    if (beforeValues && afterValues) {
      const removed = beforeValues.filter((value) => !afterValues.includes(value));
      const added = afterValues.filter((value) => !beforeValues.includes(value));
      if (removed.length) this.report('narrowed-enum', request, at, `enum lost ${removed.join(', ')}`);
      // A response enum that grows is listed, not failed: clients are expected to tolerate new values.
      if (added.length) this.report('widened-enum', false, at, `enum gained ${added.join(', ')}`);
    } else if (afterValues) {
      this.report('narrowed-enum', request, at, `now limited to the enum ${afterValues.join(', ')}`);
    } else if (beforeValues) {
      this.report('widened-enum', false, at, `no longer limited to the enum ${beforeValues.join(', ')}`);
    }
  }

  /** @param {JsonObject} before @param {JsonObject} after @param {boolean} request @param {string} at */
  compareConstraints(before, after, request, at) {
    // Tighter constraints break requests; in responses they only promise more, and looser ones are listed.
    const narrowed = (/** @type {string} */ message) => this.report('narrowed-constraint', request, at, message);
    const widened = (/** @type {string} */ message) => this.report('widened-constraint', false, at, message);
    for (const keyword of [...lowerBounds, ...upperBounds]) {
      const from = before[keyword];
      const to = after[keyword];
      if (from === to) continue;
      const lower = lowerBounds.includes(keyword);
      if (typeof to === 'number' && (typeof from !== 'number' || (lower ? to > from : to < from))) narrowed(`${keyword} ${from ?? 'none'} -> ${to}`);
      else widened(`${keyword} ${from ?? 'none'} -> ${to ?? 'none'}`);
    }
    for (const keyword of exactConstraints) {
      const from = JSON.stringify(before[keyword]);
      const to = JSON.stringify(after[keyword]);
      if (from === to) continue;
      if (to === undefined) widened(`${keyword} ${from} removed`);
      else if (from === undefined) narrowed(`${keyword} ${to} added`);
      // Whether one pattern or format accepts all the other did cannot be told in general: a request
      // value that was valid may now be refused, so it counts as breaking there.
      else this.report('changed-constraint', request, at, `${keyword} ${from} -> ${to} (may refuse values accepted before)`);
    }
  }

  /**
   * Alternatives (oneOf/anyOf) are matched by the schema they name, else by position.
   * @param {JsonObject} before @param {JsonObject} after @param {'request' | 'response'} side @param {string} place @param {string} pointer
   */
  compareAlternatives(before, after, side, place, pointer) {
    for (const keyword of ['oneOf', 'anyOf']) {
      const from = Array.isArray(before[keyword]) ? before[keyword] : undefined;
      const to = Array.isArray(after[keyword]) ? after[keyword] : undefined;
      if (!from && !to) continue;
      const name = (/** @type {Json} */ alternative, /** @type {number} */ index) => refIn(alternative) ?? `#${index}`;
      const fromNames = (from ?? []).map(name);
      const toNames = (to ?? []).map(name);
      const at = pointer ? `${place} ${pointer}` : place;
      for (const [index, alternative] of (from ?? []).entries()) {
        const match = toNames.indexOf(String(fromNames[index]));
        if (match >= 0) this.compare(alternative, /** @type {Json[]} */ (to)[match], side, place, pointer);
        else if (to) this.report('narrowed-type', side === 'request', at, `${keyword} lost the alternative ${fromNames[index]}`);
      }
      for (const [index, added] of toNames.entries()) {
        if (!fromNames.includes(added)) this.report('widened-type', side === 'response', at, `${keyword} gained the alternative ${toNames[index]}`);
      }
    }
  }

  /** @param {JsonObject} before @param {JsonObject} after @param {'request' | 'response'} side @param {string} place @param {string} pointer */
  compareObjects(before, after, side, place, pointer) {
    const request = side === 'request';
    const beforeProperties = isObject(before.properties) ? before.properties : {};
    const afterProperties = isObject(after.properties) ? after.properties : {};
    const beforeRequired = new Set(Array.isArray(before.required) ? before.required.map(String) : []);
    const afterRequired = new Set(Array.isArray(after.required) ? after.required.map(String) : []);
    const at = (/** @type {string} */ name) => `${place} ${pointer}${pointerOf(name)}`;
    for (const [name, schema] of Object.entries(beforeProperties)) {
      if (!(name in afterProperties)) {
        this.report('removed-field', true, at(name), request ? 'request field removed: clients that send it lose it' : 'response field removed');
        continue;
      }
      this.compare(schema, afterProperties[name], side, place, `${pointer}${pointerOf(name)}`);
      if (!beforeRequired.has(name) && afterRequired.has(name)) this.report('field-now-required', request, at(name), 'optional -> required');
      if (beforeRequired.has(name) && !afterRequired.has(name)) this.report('field-now-optional', !request, at(name), 'required -> optional');
    }
    for (const name of Object.keys(afterProperties)) {
      if (name in beforeProperties) continue;
      if (request && afterRequired.has(name)) this.report('new-required-field', true, at(name), 'new required request field');
      else this.report('added-field', false, at(name), `new ${afterRequired.has(name) ? 'required' : 'optional'} ${side} field`);
    }
    // A name listed in `required` without a schema of its own is still a new obligation.
    for (const name of afterRequired) {
      if (!(name in afterProperties) && !beforeRequired.has(name)) this.report(request ? 'new-required-field' : 'field-now-required', request, at(name), 'newly required');
    }
    const here = pointer ? `${place} ${pointer}` : place;
    const closedBefore = before.additionalProperties === false;
    const closedAfter = after.additionalProperties === false;
    if (!closedBefore && closedAfter) this.report('narrowed-constraint', request, here, 'additionalProperties now false');
    if (closedBefore && !closedAfter) this.report('widened-constraint', false, here, 'additionalProperties no longer false');
    if (isObject(before.additionalProperties) && isObject(after.additionalProperties)) {
      this.compare(before.additionalProperties, after.additionalProperties, side, place, `${pointer}/*`);
    }
  }
}

/**
 * Path-level and operation-level parameters as spec-model merges them (the operation's win), keyed by
 * location and name (header names without case).
 * @param {JsonObject} document @param {OperationEntry} entry
 */
function parametersOf(document, entry) {
  const parameters = mergedParameters(/** @type {OpenApiDocument} */ (document), entry);
  // Path parameters are matched by position in the path shape, so their names may change freely.
  return new Map(parameters.map((parameter) => [`${parameter.in} ${parameter.in === 'header' ? parameter.name.toLowerCase() : parameter.name}`, parameter]));
}

/** @param {JsonObject} document @param {Json | undefined} node @returns {JsonObject} */
const objectAt = (document, node) => {
  const resolved = resolveRef(document, node);
  return isObject(resolved) ? resolved : {};
};

/**
 * Every difference between two bundled OpenAPI documents that a client could notice, each marked
 * breaking or not.
 * @param {JsonObject} before @param {JsonObject} after @returns {Change[]}
 */
export function diffSpecs(before, after) {
  /** @type {Change[]} */
  const changes = [];
  const beforeOperations = operationsOf(before);
  const afterOperations = operationsOf(after);

  for (const [key, old] of beforeOperations) {
    const current = afterOperations.get(key);
    /** @type {(rule: Rule, breaking: boolean, where: string, message: string) => void} */
    const report = (rule, breaking, where, message) => {
      changes.push({ rule, breaking, operation: (current ?? old).label, where, message });
    };
    if (!current) {
      report('removed-operation', true, '', 'operation removed');
      continue;
    }
    const schemas = new SchemaComparison(before, after, report);
    compareSecurity(old.security, current.security, report);
    compareParameters(before, after, old, current, schemas, report);
    compareRequestBody(before, after, old.operation, current.operation, schemas, report);
    compareResponses(before, after, old.operation, current.operation, schemas, report);
  }
  for (const [key, added] of afterOperations) {
    if (!beforeOperations.has(key)) changes.push({ rule: 'added-operation', breaking: false, operation: added.label, where: '', message: 'operation added' });
  }
  compareSecuritySchemes(before, after, changes);
  return changes;
}

/** @typedef {(rule: Rule, breaking: boolean, where: string, message: string) => void} Report */

/**
 * Compares the security requirements in force (spec-model's `security` of each entry: alternatives, each
 * the scheme names needed together).
 * @param {string[][]} old @param {string[][]} current @param {Report} report
 */
function compareSecurity(old, current, report) {
  const from = old.map((names) => new Set(names));
  const to = current.map((names) => new Set(names));
  const describe = (/** @type {Set<string>[]} */ alternatives) => (alternatives.length ? alternatives.map((set) => [...set].join(' + ') || 'none').join(' or ') : 'none');
  // A client that satisfied some former alternative keeps working if one current alternative asks no more of it.
  const stillSatisfied = (/** @type {Set<string>} */ held) => to.length === 0 || to.some((required) => [...required].every((scheme) => held.has(scheme)));
  const formerlyOpen = from.length === 0 ? [new Set()] : from;
  if (!formerlyOpen.every(stillSatisfied)) report('added-security', true, 'security', `requires ${describe(to)} (was ${describe(from)})`);
  else if (describe(from) !== describe(to)) report('removed-security', false, 'security', `requires ${describe(to)} (was ${describe(from)})`);
}

/** @param {JsonObject} before @param {JsonObject} after @param {Change[]} changes */
function compareSecuritySchemes(before, after, changes) {
  const from = isObject(before.components) && isObject(before.components.securitySchemes) ? before.components.securitySchemes : {};
  const to = isObject(after.components) && isObject(after.components.securitySchemes) ? after.components.securitySchemes : {};
  for (const [name, raw] of Object.entries(from)) {
    if (!(name in to)) continue; // removing a scheme shows as a security change on the operations using it
    const old = objectAt(before, raw);
    const current = objectAt(after, to[name]);
    for (const field of ['type', 'scheme', 'in', 'name']) {
      if (JSON.stringify(old[field]) !== JSON.stringify(current[field])) {
        changes.push({ rule: 'changed-security-scheme', breaking: true, operation: `security scheme ${name}`, where: field, message: `${JSON.stringify(old[field])} -> ${JSON.stringify(current[field])}` });
      }
    }
  }
}

/** @param {JsonObject} before @param {JsonObject} after @param {OperationEntry} old @param {OperationEntry} current @param {SchemaComparison} schemas @param {Report} report */
function compareParameters(before, after, old, current, schemas, report) {
  const from = parametersOf(before, old);
  const to = parametersOf(after, current);
  const pathNames = (/** @type {Map<string, ParameterModel>} */ parameters) => [...parameters.values()].filter((parameter) => parameter.in === 'path');
  for (const [key, parameter] of from) {
    const where = `${parameter.in} parameter ${parameter.name}`;
    let match = to.get(key);
    if (!match && parameter.in === 'path') match = pathNames(to)[pathNames(from).indexOf(parameter)];
    if (!match) {
      report('removed-parameter', true, where, 'parameter removed');
      continue;
    }
    if (!parameter.required && match.required) report('parameter-now-required', true, where, 'optional -> required');
    if (parameter.required && !match.required) report('parameter-now-optional', false, where, 'required -> optional');
    schemas.compare(parameter.schema, match.schema, 'request', where);
  }
  for (const [key, parameter] of to) {
    if (from.has(key) || parameter.in === 'path') continue;
    report('added-parameter', parameter.required, `${parameter.in} parameter ${parameter.name}`, `new ${parameter.required ? 'required' : 'optional'} parameter`);
  }
}

/** The schema of each media type of a request body or response. */
function contentOf(/** @type {JsonObject} */ document, /** @type {JsonObject} */ holder) {
  const content = objectAt(document, holder.content);
  return new Map(Object.entries(content).map(([mediaType, media]) => [mediaType, objectAt(document, media).schema]));
}

/** @param {JsonObject} before @param {JsonObject} after @param {JsonObject} old @param {JsonObject} current @param {SchemaComparison} schemas @param {Report} report */
function compareRequestBody(before, after, old, current, schemas, report) {
  if (old.requestBody === undefined && current.requestBody === undefined) return;
  const from = objectAt(before, old.requestBody);
  const to = objectAt(after, current.requestBody);
  if (old.requestBody === undefined) {
    report('added-request-body', to.required === true, 'request body', `new ${to.required === true ? 'required' : 'optional'} request body`);
    return;
  }
  if (current.requestBody === undefined) {
    report('removed-request-body', true, 'request body', 'request body removed');
    return;
  }
  if (from.required !== true && to.required === true) report('request-body-now-required', true, 'request body', 'optional -> required');
  if (from.required === true && to.required !== true) report('request-body-now-optional', false, 'request body', 'required -> optional');
  const fromContent = contentOf(before, from);
  const toContent = contentOf(after, to);
  for (const [mediaType, schema] of fromContent) {
    if (!toContent.has(mediaType)) report('removed-media-type', true, `request body ${mediaType}`, 'media type no longer accepted');
    else schemas.compare(schema ?? true, toContent.get(mediaType) ?? true, 'request', 'request body');
  }
  for (const mediaType of toContent.keys()) if (!fromContent.has(mediaType)) report('added-media-type', false, `request body ${mediaType}`, 'media type now accepted');
}

/** @param {JsonObject} before @param {JsonObject} after @param {JsonObject} old @param {JsonObject} current @param {SchemaComparison} schemas @param {Report} report */
function compareResponses(before, after, old, current, schemas, report) {
  const from = objectAt(before, old.responses);
  const to = objectAt(after, current.responses);
  for (const [status, raw] of Object.entries(from)) {
    if (!(status in to)) {
      report('removed-status', true, `response ${status}`, 'status code removed');
      continue;
    }
    const oldResponse = objectAt(before, raw);
    const newResponse = objectAt(after, to[status]);
    const oldHeaders = objectAt(before, oldResponse.headers);
    const newHeaders = objectAt(after, newResponse.headers);
    const lower = (/** @type {JsonObject} */ headers) => new Map(Object.entries(headers).map(([name, header]) => [name.toLowerCase(), { name, header }]));
    const newByName = lower(newHeaders);
    for (const { name, header } of lower(oldHeaders).values()) {
      const match = newByName.get(name.toLowerCase());
      const where = `response ${status} header ${name}`;
      if (!match) {
        report('removed-header', true, where, 'header removed');
        continue;
      }
      const oldHeader = objectAt(before, header);
      const newHeader = objectAt(after, match.header);
      if (oldHeader.required === true && newHeader.required !== true) report('header-now-optional', true, where, 'required -> optional');
      schemas.compare(oldHeader.schema ?? true, newHeader.schema ?? true, 'response', where);
    }
    for (const [name] of lower(newHeaders)) {
      if (!lower(oldHeaders).has(name)) report('added-header', false, `response ${status} header ${newByName.get(name)?.name}`, 'header added');
    }
    const oldContent = contentOf(before, oldResponse);
    const newContent = contentOf(after, newResponse);
    for (const [mediaType, schema] of oldContent) {
      if (!newContent.has(mediaType)) report('removed-media-type', true, `response ${status} ${mediaType}`, 'media type no longer returned');
      else schemas.compare(schema ?? true, newContent.get(mediaType) ?? true, 'response', `response ${status} body`);
    }
    for (const mediaType of newContent.keys()) if (!oldContent.has(mediaType)) report('added-media-type', false, `response ${status} ${mediaType}`, 'media type added');
  }
  for (const status of Object.keys(to)) if (!(status in from)) report('added-status', false, `response ${status}`, 'status code added');
}

/**
 * The changes as text, breaking ones first.
 * @param {Change[]} changes @param {string} against
 */
export function formatReport(changes, against) {
  const line = (/** @type {Change} */ change) => `  - ${change.operation}${change.where ? `: ${change.where}` : ''}: ${change.message} [${change.rule}]`;
  const breaking = changes.filter((change) => change.breaking);
  const other = changes.filter((change) => !change.breaking);
  if (changes.length === 0) return `No changes to the API against ${against}.`;
  return [
    breaking.length ? `Breaking changes against ${against} (${breaking.length}):\n${breaking.map(line).join('\n')}` : `No breaking changes against ${against}.`,
    ...(other.length ? [`Non-breaking changes (${other.length}):\n${other.map(line).join('\n')}`] : []),
  ].join('\n\n');
}
