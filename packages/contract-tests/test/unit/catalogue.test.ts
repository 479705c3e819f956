import { integrations } from '@reportei-connect/metrics';
import { describe, expect, it } from 'vitest';
import { catalogueMetric, metricPerComponent, resultSchemaPointer, resultsFitTheirComponents, richestNetwork } from '../../src/catalogue.js';
import { at, loadBundledSpec, type Json } from '../../src/spec.js';
import { SchemaValidator } from '../../src/validator.js';

const document = loadBundledSpec();
const validator = new SchemaValidator(document);
const components = (at(document as unknown as Json, '/components/schemas/MetricComponent/enum') as string[]) ?? [];

describe('result schemas', () => {
  it("name a schema of the document for every component the spec lists, among those MetricsDataResponse accepts", () => {
    const accepted = (at(document as unknown as Json, '/components/schemas/MetricsDataResponse/additionalProperties/anyOf') as { $ref: string }[]).map((each) => each.$ref);
    expect(components.length).toBeGreaterThan(0);
    for (const component of components) expect(accepted, component).toContain(`#${resultSchemaPointer(component)}`);
    expect(resultSchemaPointer('sparkline_v9')).toBeUndefined();
  });

  it("hold each result to its own component's schema, which the response's anyOf does not", () => {
    const metrics = [{ id: 'reach', component: 'number_v1' }, { id: 'daily', component: 'chart_v1' }, { id: 'unknown', component: 'sparkline_v9' }];
    expect(resultsFitTheirComponents({ reach: { values: 1 }, daily: { labels: ['a'], values: [{ data: [1] }] }, unknown: 1 }, metrics, validator)).toEqual([]);
    expect(resultsFitTheirComponents({ reach: { labels: ['a'], values: [{ data: [1] }] } }, metrics, validator)).toEqual([
      { pointer: '/reach/values', expected: 'type number,null (a number_v1 result)', actual: '[{"data":[1]}]' },
    ]);
  });
});

describe('catalogue metrics', () => {
  it("give one ready-made metric per component kind of a network, each with its component as id", () => {
    const metrics = metricPerComponent('instagram_business');
    expect(metrics.map((metric) => metric.id)).toEqual(metrics.map((metric) => metric.component));
    expect(new Set(metrics.map((metric) => metric.component)).size).toBe(metrics.length);
    expect(metrics.length).toBeGreaterThan(1);
    expect(metricPerComponent('no_such_network')).toEqual([]);
  });

  it('pick the network with the most component kinds, and a number metric where there is one', () => {
    const kinds = (slug: string) => metricPerComponent(slug).length;
    const most = Math.max(...integrations.map((integration) => kinds(integration.slug)));
    expect(kinds(richestNetwork().slug)).toBe(most);
    expect(catalogueMetric('instagram_business', 'x')).toMatchObject({ id: 'x', component: 'number_v1' });
  });
});
