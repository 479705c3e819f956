import type { components, MetricComponent, ResultOfComponent } from '@reportei-connect/client';
import { integrations, type IntegrationCatalogue } from '@reportei-connect/metrics';
import { pointerOf } from './spec.js';
import type { SchemaFailure, SchemaValidator } from './validator.js';

/**
 * Metric requests from the metrics catalogue (`@reportei-connect/metrics`), and the schema each
 * metric's result must fit: the spec's `MetricsDataResponse` accepts any of the result schemas for
 * any metric, while the metric's `component` says which one it is.
 */

type Schemas = components['schemas'];
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** The names of the spec's schemas whose type is the result type of component `C` (`ResultOfComponent`, @reportei-connect/types). */
type ResultSchemaName<C extends MetricComponent> = { [Name in keyof Schemas]: Same<Schemas[Name], ResultOfComponent<C>> extends true ? Name : never }[keyof Schemas];

/**
 * The schema of each component's result. Typed against the generated types: a component the spec adds,
 * or a name that is not the schema of that component's result type, does not compile.
 */
const resultSchemaNames = {
  number_v1: 'NumberResult',
  chart_v1: 'ChartResult',
  datatable_v1: 'DatatableResult',
  container_v1: 'ComponentResult',
  pipeline_v1: 'ComponentResult',
  iconsList_v1: 'ComponentResult',
  datagrid_v1: 'ComponentResult',
  wysiwyg_v1: 'ComponentResult',
} as const satisfies { readonly [C in MetricComponent]: ResultSchemaName<C> };

const isComponent = (value: unknown): value is MetricComponent => typeof value === 'string' && Object.hasOwn(resultSchemaNames, value);

/** The JSON pointer of the schema a component's result must fit, or undefined for a component the spec does not know. */
export function resultSchemaPointer(component: unknown): string | undefined {
  return isComponent(component) ? pointerOf('components', 'schemas', resultSchemaNames[component]) : undefined;
}

/**
 * Each requested metric's result against its component's schema (pointers relative to the results,
 * `/<id>/...`); results missing or not requested are {@link sameMetricIds}'s business.
 */
export function resultsFitTheirComponents(results: unknown, metrics: readonly { id: string; component?: unknown }[], validator: SchemaValidator): SchemaFailure[] {
  return metrics.flatMap(({ id, component }) => {
    const schemaPointer = resultSchemaPointer(component);
    const result = (results as Record<string, unknown>)[id];
    if (!schemaPointer || result === undefined) return [];
    return validator
      .validate(schemaPointer, result)
      .map((failure) => ({ ...failure, pointer: `${pointerOf(id)}${failure.pointer}`, expected: `${failure.expected} (a ${component} result)` }));
  });
}

const catalogue = integrations as readonly unknown[] as readonly IntegrationCatalogue[];

/** The catalogue's integration for a network, or undefined. */
export const catalogueIntegration = (slug: string): IntegrationCatalogue | undefined => catalogue.find((candidate) => candidate.slug === slug);

/** A ready-made metric of the network from the metrics catalogue (a number if it has one), or undefined. */
export function catalogueMetric(slug: string, id: string) {
  const integration = catalogueIntegration(slug);
  if (!integration) return undefined;
  const key = integration.referenceKeys.find((referenceKey) => integration.definitions[referenceKey]!.component === 'number_v1') ?? integration.referenceKeys[0];
  return key === undefined ? undefined : integration.metric(key, { id });
}

/** One ready-made metric of the network per component kind it offers, in catalogue order, each with its component as id. */
export function metricPerComponent(slug: string) {
  const integration = catalogueIntegration(slug);
  if (!integration) return [];
  const kinds = new Map<string, string>();
  for (const key of integration.referenceKeys) {
    const { component } = integration.definitions[key]!;
    if (!kinds.has(component)) kinds.set(component, key);
  }
  return [...kinds].map(([component, key]) => integration.metric(key, { id: component }));
}

/** The network of the catalogue whose metrics come in the most component kinds (the first such), so that a scenario meets the most result schemas. */
export function richestNetwork(): IntegrationCatalogue {
  const kinds = (integration: IntegrationCatalogue) => new Set(integration.referenceKeys.map((key) => integration.definitions[key]!.component)).size;
  return catalogue.reduce((best, candidate) => (kinds(candidate) > kinds(best) ? candidate : best));
}
