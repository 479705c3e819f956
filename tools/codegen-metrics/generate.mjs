// Turns the payload data (spec/payloads/<slug>/{metrics.json,setup.json}) into the TypeScript modules of
// @reportei-connect/metrics: one module per integration and a catalogue module that joins them.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { deriveDisplayName, displayNames } from './display-names.mjs';

/**
 * @typedef {import('./generate.d.mts').SetupField} SetupField
 * @typedef {import('./generate.d.mts').Definition} Definition
 * @typedef {import('./generate.d.mts').Integration} Integration
 */

const SETUP_FIELD_PROPERTIES = new Set(['label', 'formatting_function', 'group_by', 'isDate', 'options', 'dimension']);

/**
 * Reads every integration folder under `payloadsDir`, checks the data and settles duplicates.
 * @param {string} payloadsDir
 * @param {{ components: readonly string[], referenceKeyPattern: RegExp }} rules from the spec's
 *   `MetricRequest`: the `component` enum and the `reference_key` pattern
 * @param {(message: string) => void} [warn]
 * @returns {Integration[]}
 */
export function loadIntegrations(payloadsDir, rules, warn = (message) => console.warn(message)) {
  const slugs = readdirSync(payloadsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  if (slugs.length === 0) throw new Error(`No integration folders in ${payloadsDir}.`);

  /** @type {Map<string, string>} reference key -> slug that owns it */
  const owners = new Map();
  return slugs.map((slug) => {
    if (!/^[a-z][a-z0-9_]*$/.test(slug)) {
      throw new Error(`Payload folder "${slug}" must be snake_case: it becomes the subpath and the export name.`);
    }
    let name = /** @type {Record<string, string>} */ (displayNames)[slug];
    if (!name) {
      name = deriveDisplayName(slug);
      warn(`codegen-metrics: no display name for "${slug}", using "${name}"; add it to tools/codegen-metrics/display-names.mjs.`);
    }
    const definitions = readDefinitions(payloadsDir, slug, rules);
    for (const { reference_key } of definitions) {
      const owner = owners.get(reference_key);
      if (owner) throw new Error(`Reference key "${reference_key}" is in both ${owner} and ${slug}; keys must be unique across integrations.`);
      owners.set(reference_key, slug);
    }
    const setup = readJson(join(payloadsDir, slug, 'setup.json'));
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
 * @returns {Definition[]}
 */
function readDefinitions(payloadsDir, slug, { components, referenceKeyPattern }) {
  const file = readJson(join(payloadsDir, slug, 'metrics.json'));
  // facebook_ads and nuvem_shop call the list `widgets`.
  const entries = file.metrics ?? file.widgets;
  if (!Array.isArray(entries)) throw new Error(`${slug}/metrics.json has neither a "metrics" nor a "widgets" array.`);

  /** @type {Map<string, Definition>} */
  const byKey = new Map();
  entries.forEach((entry, index) => {
    const where = `${slug}/metrics.json entry ${index}`;
    if (typeof entry?.reference_key !== 'string' || !referenceKeyPattern.test(entry.reference_key)) {
      throw new Error(`${where}: "reference_key" ${JSON.stringify(entry?.reference_key)} does not match the spec's pattern ${referenceKeyPattern}.`);
    }
    if (!components.includes(entry.component)) {
      throw new Error(`${where} (${entry.reference_key}): component ${JSON.stringify(entry.component)} is not one of ${components.join(', ')}.`);
    }
    if (!Array.isArray(entry.metrics)) throw new Error(`${where} (${entry.reference_key}): "metrics" must be an array.`);

    const kept = byKey.get(entry.reference_key);
    if (!kept) {
      byKey.set(entry.reference_key, entry);
    } else if (isDeepStrictEqual(kept, entry)) {
      // An exact repeat adds nothing.
    } else if (kept.metrics.length > 0 && entry.metrics.length === 0) {
      // rd_station lists "rdstation:leads_converted_history" twice: once reading
      // ["rdstation_leads_converted_history"] and once with `metrics: []`, which asks for no measure at
      // all. The entry that reads something is the usable one, so it is kept (in either order).
    } else if (kept.metrics.length === 0 && entry.metrics.length > 0) {
      byKey.set(entry.reference_key, entry);
    } else {
      throw new Error(
        `${where}: "${entry.reference_key}" is defined twice with different contents; keep one in the payload data or teach tools/codegen-metrics which wins.`,
      );
    }
  });
  return [...byKey.values()];
}

/**
 * The metrics or dimensions section of setup.json, as `{ name: field }`. An empty section is written
 * `[]` in some files (active_campaign, rd_crm).
 * @returns {Record<string, SetupField>}
 */
function readSetupFields(section, where) {
  if (section === undefined || (Array.isArray(section) && section.length === 0)) return {};
  if (typeof section !== 'object' || section === null || Array.isArray(section)) throw new Error(`${where} must be an object.`);
  return Object.fromEntries(
    Object.entries(section).map(([name, raw]) => {
      const { 0: legacyLabel, ...field } = raw;
      // Two active_campaign metrics (unsubscribes_rate, forwards_rate) hold their label under "0"
      // instead of "label"; read it from there so every field has a label.
      if (field.label === undefined && typeof legacyLabel === 'string') field.label = legacyLabel;
      if (typeof field.label !== 'string') throw new Error(`${where} "${name}" has no "label".`);
      const unknown = Object.keys(field).filter((key) => !SETUP_FIELD_PROPERTIES.has(key));
      if (unknown.length > 0) {
        throw new Error(`${where} "${name}" has unknown properties ${unknown.join(', ')}; add them to SetupField in packages/metrics/src/types.ts and to tools/codegen-metrics.`);
      }
      return [name, field];
    }),
  );
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read ${path}: ${error instanceof Error ? error.message : error}`);
  }
}

/** `google_analytics_4` -> `GoogleAnalytics4` */
function pascalCase(slug) {
  return slug.replace(/(^|_)([a-z0-9])/g, (_, __, letter) => letter.toUpperCase());
}

const count = (n, word) => `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;

/** @param {Integration} integration */
function integrationModule(integration, header) {
  const { slug, name, definitions, metrics, dimensions } = integration;
  const componentsType = `${pascalCase(slug)}Components`;
  const json = (value) => JSON.stringify(value);
  return `${header}
import { defineIntegration } from '../../define.js';

/** The component of each ready-made ${name} metric, by reference key. */
export type ${componentsType} = {
${definitions.map((d) => `  ${json(d.reference_key)}: ${json(d.component)};`).join('\n')}
};

/** ${name}: ${count(definitions.length, 'ready-made metric')}; ${count(Object.keys(metrics).length, 'metric')} and ${count(Object.keys(dimensions).length, 'dimension')} on offer. */
export const ${slug} = /* @__PURE__ */ defineIntegration<${componentsType}, ${json(slug)}>({
  slug: ${json(slug)},
  name: ${json(name)},
  definitions: {
${definitions.map((d) => `    ${json(d.reference_key)}: ${json(d)},`).join('\n')}
  },
  metrics: {
${Object.entries(metrics).map(([key, field]) => `    ${json(key)}: ${json(field)},`).join('\n')}
  },
  dimensions: {
${Object.entries(dimensions).map(([key, field]) => `    ${json(key)}: ${json(field)},`).join('\n')}
  },
});
`;
}

/** @param {Integration[]} integrations */
function catalogueModule(integrations, header) {
  const total = integrations.reduce((sum, i) => sum + i.definitions.length, 0);
  return `${header}
${integrations.map(({ slug }) => `import { ${slug}, type ${pascalCase(slug)}Components } from './integrations/${slug}.js';`).join('\n')}

/** The component of every ready-made metric (${count(total, 'reference key')}), by reference key. */
export type ComponentByReferenceKey = ${integrations.map(({ slug }) => `${pascalCase(slug)}Components`).join('\n  & ')};

/** The slug of every integration; each is also a subpath, \`@reportei-connect/metrics/<slug>\`. */
export type IntegrationSlug = ${integrations.map(({ slug }) => JSON.stringify(slug)).join(' | ')};

/** Every integration (${integrations.length}), sorted by slug. */
export const integrations = [${integrations.map(({ slug }) => slug).join(', ')}] as const;
`;
}

/**
 * Writes `integrations/<slug>.ts` and `catalogue.ts` into `outDir`, replacing what was there.
 * @param {Integration[]} integrations
 * @param {string} outDir
 * @param {string} source where the data came from, for the header line
 */
export function writeModules(integrations, outDir, source) {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, 'integrations'), { recursive: true });
  const header = (from) =>
    `// Generated by tools/codegen-metrics from ${from}. Do not edit: run the package build instead.\n` +
    // A legal comment (`/*!`), which bundlers keep, since the data's licence asks for attribution.
    '/*! Data from reportei/connect-docs (payloads/), licensed CC BY-SA 4.0: https://creativecommons.org/licenses/by-sa/4.0/ */';
  for (const integration of integrations) {
    writeFileSync(
      join(outDir, 'integrations', `${integration.slug}.ts`),
      integrationModule(integration, header(`${source}/${integration.slug}`)),
    );
  }
  writeFileSync(join(outDir, 'catalogue.ts'), catalogueModule(integrations, header(source)));
}
