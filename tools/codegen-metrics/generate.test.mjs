import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// The generator is plain Node ESM in tools/, run by this package's build.
import { loadIntegrations } from '../../../tools/codegen-metrics/generate.mjs';

const rules = { components: ['number_v1', 'chart_v1'], referenceKeyPattern: /^\S+$/u };
const reach = { reference_key: 'ig:reach', component: 'number_v1', metrics: ['reach'] };
const setup = { metrics: { reach: { label: 'Reach' } }, dimensions: [] };

let root: string | undefined;
afterEach(() => root && rmSync(root, { recursive: true, force: true }));

/** A payload folder with these integrations, as `{ slug: [metrics.json, setup.json] }`. */
function payloads(integrations: Record<string, [unknown, unknown]>): string {
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
    const warnings: string[] = [];
    const [instagram, newcomer] = loadIntegrations(
      payloads({
        instagram_business: [{ metrics: [reach] }, setup],
        some_new_network: [
          { widgets: [{ reference_key: 'new:clicks', component: 'chart_v1', metrics: ['clicks'] }] },
          { metrics: { rate: { 0: 'Rate', formatting_function: 'percentage' } } },
        ],
      }),
      rules,
      (message: string) => warnings.push(message),
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
    const load = (metrics: unknown, setupJson: unknown = setup) => () =>
      loadIntegrations(payloads({ instagram_business: [metrics, setupJson] }), rules);
    expect(load({ metrics: [{ ...reach, component: 'pie_v9' }] })).toThrow(/component "pie_v9" is not one of number_v1, chart_v1/);
    expect(load({ metrics: [{ ...reach, reference_key: 'ig: reach' }] })).toThrow(/does not match the spec's pattern/);
    expect(load({ entries: [] })).toThrow(/neither a "metrics" nor a "widgets" array/);
    expect(load({ metrics: [reach] }, { metrics: { reach: { label: 'Reach', colour: 'red' } } })).toThrow(/unknown properties colour/);
    expect(load({ metrics: [reach] }, { metrics: { reach: {} } })).toThrow(/"reach" has no "label"/);
  });
});
