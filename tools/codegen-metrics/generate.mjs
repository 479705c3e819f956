// Turns the payload data (spec/payloads/<slug>/{metrics.json,setup.json}, read by
// @reportei-connect/spec-model's loadPayloads) into the TypeScript modules of @reportei-connect/metrics:
// one module per integration and a catalogue module that joins them.
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { CodegenError, literal, packageDirOf, propertyKey, quote } from '@reportei-connect/codegen-core';
import { loadPayloads, valueAt } from '@reportei-connect/spec-model';
import { deriveDisplayName, displayNames } from './display-names.mjs';

/**
 * A setup.json metric or dimension; its properties are typed for users in packages/metrics/src/types.ts.
 * @typedef {{ label: string, [property: string]: unknown }} SetupField
 */
/**
 * A ready-made metric request.
 * @typedef {{ reference_key: string, component: string, metrics: unknown[], [option: string]: unknown }} Definition
 */
/**
 * @typedef {object} Integration
 * @property {string} slug
 * @property {string} name
 * @property {Definition[]} definitions
 * @property {Record<string, SetupField>} metrics
 * @property {Record<string, SetupField>} dimensions
 */
/**
 * What the spec's `MetricRequest` allows: the `component` enum and the `reference_key` pattern.
 * @typedef {{ components: readonly string[], referenceKeyPattern: RegExp }} Rules
 */

const SETUP_FIELD_PROPERTIES = new Set(['label', 'formatting_function', 'group_by', 'isDate', 'options', 'dimension']);

/**
 * Reads every integration folder under `payloadsDir`, checks the data and settles duplicates.
 * @param {string} payloadsDir
 * @param {Rules} rules
 * @param {(message: string) => void} [warn]
 * @returns {Integration[]}
 */
export function loadIntegrations(payloadsDir, rules, warn = (message) => console.warn(message)) {
  /** @type {Map<string, string>} reference key -> slug that owns it */
  const owners = new Map();
  return loadPayloads(payloadsDir).map(({ slug, entries, setup }) => {
    if (!/^[a-z][a-z0-9_]*$/.test(slug)) {
      throw new CodegenError(`Payload folder "${slug}" must be snake_case: it becomes the subpath and the export name.`);
    }
    let name = /** @type {Record<string, string>} */ (displayNames)[slug];
    if (!name) {
      name = deriveDisplayName(slug);
      warn(`no display name for "${slug}", using "${name}"; add it to tools/codegen-metrics/display-names.mjs.`);
    }
    const definitions = readDefinitions(slug, entries, rules);
    for (const { reference_key } of definitions) {
      const owner = owners.get(reference_key);
      if (owner) throw new CodegenError(`Reference key "${reference_key}" is in both ${owner} and ${slug}; keys must be unique across integrations.`);
      owners.set(reference_key, slug);
    }
    if (!setup) throw new CodegenError(`${slug} has no setup.json.`);
    return {
      slug,
      name,
      definitions,
      metrics: readSetupFields(setup.metrics, `${slug}/setup.json metrics`),
      dimensions: readSetupFields(setup.dimensions, `${slug}/setup.json dimensions`),
    };
  });
}

/**
 * The ready-made metric requests of one integration, in file order, one per reference key.
 * @param {string} slug
 * @param {Record<string, any>[]} entries
 * @param {Rules} rules
 * @returns {Definition[]}
 */
function readDefinitions(slug, entries, { components, referenceKeyPattern }) {
  /** @type {Map<string, Definition>} */
  const byKey = new Map();
  entries.forEach((entry, index) => {
    const where = `${slug}/metrics.json entry ${index}`;
    if (typeof entry?.reference_key !== 'string' || !referenceKeyPattern.test(entry.reference_key)) {
      throw new CodegenError(`${where}: "reference_key" ${JSON.stringify(entry?.reference_key)} does not match the spec's pattern ${referenceKeyPattern}.`);
    }
    if (!components.includes(entry.component)) {
      throw new CodegenError(`${where} (${entry.reference_key}): component ${JSON.stringify(entry.component)} is not one of ${components.join(', ')}.`);
    }
    if (!Array.isArray(entry.metrics)) throw new CodegenError(`${where} (${entry.reference_key}): "metrics" must be an array.`);
    const definition = /** @type {Definition} */ (entry);

    const kept = byKey.get(definition.reference_key);
    if (!kept) {
      byKey.set(definition.reference_key, definition);
    } else if (isDeepStrictEqual(kept, definition)) {
      // An exact repeat adds nothing.
    } else if (kept.metrics.length > 0 && definition.metrics.length === 0) {
      // rd_station lists "rdstation:leads_converted_history" twice: once reading
      // ["rdstation_leads_converted_history"] and once with `metrics: []`, which asks for no measure at
      // all. The entry that reads something is the usable one, so it is kept (in either order).
    } else if (kept.metrics.length === 0 && definition.metrics.length > 0) {
      byKey.set(definition.reference_key, definition);
    } else {
      throw new CodegenError(
        `${where}: "${definition.reference_key}" is defined twice with different contents; keep one in the payload data or teach tools/codegen-metrics which wins.`,
      );
    }
  });
  return [...byKey.values()];
}

/**
 * The metrics or dimensions section of setup.json, as `{ name: field }`. An empty section is written
 * `[]` in some files (active_campaign, rd_crm).
 * @param {unknown} section
 * @param {string} where
 * @returns {Record<string, SetupField>}
 */
function readSetupFields(section, where) {
  if (section === undefined || (Array.isArray(section) && section.length === 0)) return {};
  if (typeof section !== 'object' || section === null || Array.isArray(section)) throw new CodegenError(`${where} must be an object.`);
  return Object.fromEntries(
    Object.entries(/** @type {Record<string, Record<string, unknown>>} */ (section)).map(([name, raw]) => {
      const { 0: legacyLabel, ...field } = raw;
      // Two active_campaign metrics (unsubscribes_rate, forwards_rate) hold their label under "0"
      // instead of "label"; read it from there so every field has a label.
      if (field.label === undefined && typeof legacyLabel === 'string') field.label = legacyLabel;
      if (typeof field.label !== 'string') throw new CodegenError(`${where} "${name}" has no "label".`);
      const unknown = Object.keys(field).filter((key) => !SETUP_FIELD_PROPERTIES.has(key));
      if (unknown.length > 0) {
        throw new CodegenError(`${where} "${name}" has unknown properties ${unknown.join(', ')}; add them to SetupField in packages/metrics/src/types.ts and to tools/codegen-metrics.`);
      }
      return [name, /** @type {SetupField} */ (field)];
    }),
  );
}

/** `google_analytics_4` -> `GoogleAnalytics4` @param {string} slug */
function pascalCase(slug) {
  return slug.replace(/(^|_)([a-z0-9])/g, (_, __, letter) => letter.toUpperCase());
}

/** @param {number} n @param {string} word */
const count = (n, word) => `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;

/** A legal comment (`/*!`), which bundlers keep, since the data's licence asks for attribution. */
const LICENCE = '/*! Data from reportei/connect-docs (payloads/), licensed CC BY-SA 4.0: https://creativecommons.org/licenses/by-sa/4.0/ */';

/** @param {Integration} integration */
function integrationModule(integration) {
  const { slug, name, definitions, metrics, dimensions } = integration;
  const componentsType = `${pascalCase(slug)}Components`;
  /** @param {Record<string, unknown>} object */
  const members = (object) => Object.entries(object).map(([key, value]) => `    ${propertyKey(key)}: ${literal(value)},`).join('\n');
  return `${LICENCE}
import { defineIntegration } from '../../define.js';

/** The component of each ready-made ${name} metric, by reference key. */
export type ${componentsType} = {
${definitions.map((d) => `  ${propertyKey(d.reference_key)}: ${quote(d.component)};`).join('\n')}
};

/** ${name}: ${count(definitions.length, 'ready-made metric')}; ${count(Object.keys(metrics).length, 'metric')} and ${count(Object.keys(dimensions).length, 'dimension')} on offer. */
export const ${slug} = /* @__PURE__ */ defineIntegration<${componentsType}, ${quote(slug)}>({
  slug: ${quote(slug)},
  name: ${quote(name)},
  definitions: {
${members(Object.fromEntries(definitions.map((d) => [d.reference_key, d])))}
  },
  metrics: {
${members(metrics)}
  },
  dimensions: {
${members(dimensions)}
  },
});
`;
}

/** @param {Integration[]} integrations */
function catalogueModule(integrations) {
  const total = integrations.reduce((sum, i) => sum + i.definitions.length, 0);
  return `${LICENCE}
${integrations.map(({ slug }) => `import { ${slug}, type ${pascalCase(slug)}Components } from './integrations/${slug}.js';`).join('\n')}

/** The component of every ready-made metric (${count(total, 'reference key')}), by reference key. */
export type ComponentByReferenceKey = ${integrations.map(({ slug }) => `${pascalCase(slug)}Components`).join('\n  & ')};

/** The slug of every integration; each is also a subpath, \`@reportei-connect/metrics/<slug>\`. */
export type IntegrationSlug = ${integrations.map(({ slug }) => quote(slug)).join(' | ')};

/** Every integration (${integrations.length}), sorted by slug. */
export const integrations = [${integrations.map(({ slug }) => slug).join(', ')}] as const;
`;
}

/**
 * The modules of the catalogue, by path in the output directory: `integrations/<slug>.ts` and `catalogue.ts`.
 * @param {Integration[]} integrations
 * @returns {Record<string, string>}
 */
export function catalogueModules(integrations) {
  return {
    ...Object.fromEntries(integrations.map((integration) => [`integrations/${integration.slug}.ts`, integrationModule(integration)])),
    'catalogue.ts': catalogueModule(integrations),
  };
}

/**
 * What the spec's `MetricRequest` schema allows a catalogued metric to be.
 * @param {import('@reportei-connect/spec-model').OpenApiDocument} document
 * @returns {Rules}
 */
export function rulesOf(document) {
  const components = valueAt(document, '/components/schemas/MetricComponent/enum');
  const referenceKeyPattern = valueAt(document, '/components/schemas/MetricRequest/properties/reference_key/pattern');
  if (!Array.isArray(components) || typeof referenceKeyPattern !== 'string') {
    throw new CodegenError('The spec lacks components.schemas.MetricComponent.enum or MetricRequest.properties.reference_key.pattern.');
  }
  return { components, referenceKeyPattern: new RegExp(referenceKeyPattern, 'u') };
}

/** @type {import('@reportei-connect/codegen-core').Generator} */
export const generator = {
  name: '@reportei-connect/codegen-metrics',
  bin: 'connect-codegen-metrics',
  output: 'the directory of the catalogue modules (replaced as a whole)',
  options: { payloads: 'the payload data folder (default: payloads/ in the package that ships the spec)' },
  generate: ({ document, specFile, options, warn }) => {
    const payloads = options.payloads ?? join(packageDirOf(specFile), 'payloads');
    return catalogueModules(loadIntegrations(payloads, rulesOf(document), warn));
  },
};
