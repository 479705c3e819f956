import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { catalogueModules, loadIntegrations, rulesOf } from './generate.mjs';

const rules = { components: ['number_v1', 'chart_v1'], referenceKeyPattern: /^\S+$/u };
const reach = { reference_key: 'ig:reach', component: 'number_v1', metrics: ['reach'] };
const setup = { metrics: { reach: { label: 'Reach' } }, dimensions: [] };

/** @type {string | undefined} */
let root;
afterEach(() => root && rmSync(root, { recursive: true, force: true }));

/**
 * A payload folder with these integrations, as `{ slug: [metrics.json, setup.json] }`.
 * @param {Record<string, [unknown, unknown]>} integrations
 */
function payloads(integrations) {
  root = mkdtempSync(join(tmpdir(), 'payloads-'));
  for (const [slug, [metrics, setupJson]] of Object.entries(integrations)) {
    mkdirSync(join(root, slug));
    writeFileSync(join(root, slug, 'metrics.json'), JSON.stringify(metrics));
    writeFileSync(join(root, slug, 'setup.json'), JSON.stringify(setupJson));
  }
  return root;
}

describe('codegen-metrics loadIntegrations', () => {
  it('reads `metrics` or `widgets`, names integrations, and normalises setup fields', () => {
    /** @type {string[]} */
    const warnings = [];
    const [instagram, newcomer] = loadIntegrations(
      payloads({
        instagram_business: [{ metrics: [reach] }, setup],
        some_new_network: [
          { widgets: [{ reference_key: 'new:clicks', component: 'chart_v1', metrics: ['clicks'] }] },
          { metrics: { rate: { 0: 'Rate', formatting_function: 'percentage' } } },
        ],
      }),
      rules,
      (message) => warnings.push(message),
    );
    expect(instagram).toEqual({
      slug: 'instagram_business',
      name: 'Instagram Business',
      definitions: [reach],
      metrics: { reach: { label: 'Reach' } },
      dimensions: {},
    });
    expect(newcomer).toMatchObject({
      slug: 'some_new_network',
      name: 'Some New Network',
      definitions: [{ reference_key: 'new:clicks' }],
      metrics: { rate: { label: 'Rate', formatting_function: 'percentage' } },
    });
    expect(warnings).toEqual([expect.stringContaining('no display name for "some_new_network"')]);
  });

  it('keeps the entry of a duplicated key that reads a measure, whichever comes first', () => {
    const empty = { ...reach, metrics: [] };
    for (const entries of [[reach, empty], [empty, reach], [reach, reach]]) {
      const [integration] = loadIntegrations(payloads({ instagram_business: [{ metrics: entries }, setup] }), rules);
      expect(integration?.definitions).toEqual([reach]);
    }
  });

  it('refuses duplicates it cannot settle, and keys shared by two integrations', () => {
    const other = { ...reach, metrics: ['impressions'] };
    expect(() => loadIntegrations(payloads({ instagram_business: [{ metrics: [reach, other] }, setup] }), rules)).toThrow(
      /"ig:reach" is defined twice with different contents/,
    );
    expect(() =>
      loadIntegrations(payloads({ facebook: [{ metrics: [reach] }, setup], instagram_business: [{ metrics: [reach] }, setup] }), rules),
    ).toThrow(/"ig:reach" is in both facebook and instagram_business/);
  });

  it('refuses data the catalogue cannot type', () => {
    const load = (/** @type {unknown} */ metrics, /** @type {unknown} */ setupJson = setup) => () =>
      loadIntegrations(payloads({ instagram_business: [metrics, setupJson] }), rules);
    expect(load({ metrics: [{ ...reach, component: 'pie_v9' }] })).toThrow(/component "pie_v9" is not one of number_v1, chart_v1/);
    expect(load({ metrics: [{ ...reach, reference_key: 'ig: reach' }] })).toThrow(/does not match the spec's pattern/);
    expect(load({ entries: [] })).toThrow(/neither a "metrics" nor a "widgets" array/);
    expect(load({ metrics: [reach] }, { metrics: { reach: { label: 'Reach', colour: 'red' } } })).toThrow(/unknown properties colour/);
    expect(load({ metrics: [reach] }, { metrics: { reach: {} } })).toThrow(/"reach" has no "label"/);
  });
});

describe('codegen-metrics catalogueModules', () => {
  it('writes a module per integration and the catalogue, keys and names with quotes written as valid TypeScript', () => {
    const quoted = { reference_key: "ig:it's", component: 'number_v1', metrics: ['say "hi"'] };
    const [integration] = loadIntegrations(payloads({ instagram_business: [{ metrics: [quoted] }, setup] }), rules);
    const modules = catalogueModules([/** @type {import('./generate.mjs').Integration} */ (integration)]);
    expect(Object.keys(modules)).toEqual(['integrations/instagram_business.ts', 'catalogue.ts']);
    const module = modules['integrations/instagram_business.ts'] ?? '';
    expect(module).toContain(`  'ig:it\\'s': 'number_v1';`);
    expect(module).toContain(`    'ig:it\\'s': { reference_key: 'ig:it\\'s', component: 'number_v1', metrics: ['say "hi"'] },`);
    expect(module.split('\n')[0]).toMatch(/^\/\*! Data from reportei\/connect-docs/);
    expect(modules['catalogue.ts']).toContain("export type IntegrationSlug = 'instagram_business';");
  });

  it("reads the rules from the spec's MetricRequest", () => {
    const document = {
      openapi: '3.1.0',
      components: { schemas: { MetricComponent: { enum: ['number_v1'] }, MetricRequest: { properties: { reference_key: { pattern: '^\\S+$' } } } } },
    };
    expect(rulesOf(document)).toEqual({ components: ['number_v1'], referenceKeyPattern: /^\S+$/u });
    expect(() => rulesOf({ openapi: '3.1.0' })).toThrow(/lacks components\.schemas\.MetricComponent\.enum/);
  });
});

