import { createMetricRequest } from './define.js';
import { integrations, type ComponentByReferenceKey } from './generated/catalogue.js';
import type { CatalogueMetricRequest, MetricDefinition, MetricOptions } from './types.js';

export { integrations };
export type { ComponentByReferenceKey, IntegrationSlug } from './generated/catalogue.js';
export type { IntegrationCatalogue } from './define.js';
export type { MetricComponent } from '@reportei-connect/types';
export type {
  CatalogueMetricRequest,
  MetricDefinition,
  MetricOptions,
  MetricRequestFields,
  SetupField,
} from './types.js';

/** The reference key of any ready-made metric, such as `ig:reach`. */
export type ReferenceKey = keyof ComponentByReferenceKey & string;

/** Every reference key of the catalogue, integration by integration (sorted by slug). */
export const referenceKeys: readonly ReferenceKey[] = /* @__PURE__ */ integrations.flatMap(
  (integration): readonly ReferenceKey[] => integration.referenceKeys,
);

let definitionsByKey: Map<string, MetricDefinition> | undefined;

/**
 * A request for a ready-made metric, for `getMetricsData`: `metric('ig:reach', { id: 'reach' })`.
 * The id is a fresh `crypto.randomUUID()` unless given; `component` is the metric's literal component,
 * so the client types its result. An unknown key is a compile error, and a `RangeError` at run time.
 *
 * This looks keys up in the whole catalogue; to bundle one integration's data only, use its subpath:
 * `import { instagram_business } from '@reportei-connect/metrics/instagram_business'` and
 * `instagram_business.metric('ig:reach')`.
 */
export function metric<Key extends ReferenceKey, const Id extends string = string>(
  referenceKey: Key,
  options?: MetricOptions<Id>,
): CatalogueMetricRequest<Key, ComponentByReferenceKey[Key], Id> {
  definitionsByKey ??= new Map(
    integrations.flatMap((integration) => Object.entries<MetricDefinition>(integration.definitions)),
  );
  return createMetricRequest(definitionsByKey.get(referenceKey), referenceKey, options, referenceKeys) as never;
}
