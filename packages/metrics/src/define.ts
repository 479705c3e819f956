import { closestKeys } from './suggest.js';
import type { CatalogueMetricRequest, ComponentMap, MetricDefinition, MetricOptions, SetupField } from './types.js';

/** The data of one integration, as the generated module writes it. */
export interface IntegrationSource<Components extends ComponentMap, Slug extends string> {
  slug: Slug;
  /** Display name, such as `Instagram Business`. */
  name: string;
  /** Every ready-made metric of the integration, by reference key. */
  definitions: { [Key in keyof Components & string]: MetricDefinition<Key, Components[Key]> };
  /** The metrics the integration offers, by name, with their labels (its `setup.json`). */
  metrics: Record<string, SetupField>;
  /** The dimensions the integration offers, by name, with their labels (its `setup.json`). */
  dimensions: Record<string, SetupField>;
}

/** One integration of the catalogue, such as `instagram_business`. */
export interface IntegrationCatalogue<Components extends ComponentMap = ComponentMap, Slug extends string = string>
  extends Readonly<IntegrationSource<Components, Slug>> {
  /** The reference keys of its ready-made metrics, in the order of its payload file. */
  readonly referenceKeys: readonly (keyof Components & string)[];
  /**
   * A request for one of this integration's metrics, with a fresh uuid as id unless one is given.
   * Needs only this integration's data, unlike the root `metric()`.
   */
  metric<Key extends keyof Components & string, const Id extends string = string>(
    referenceKey: Key,
    options?: MetricOptions<Id>,
  ): CatalogueMetricRequest<Key, Components[Key], Id>;
}

/**
 * Turns a catalogued metric into a request: a deep copy (so changing it never changes the catalogue)
 * with an id. Throws, naming the closest known keys, when `definition` is missing.
 */
export function createMetricRequest(
  definition: MetricDefinition | undefined,
  referenceKey: string,
  options: MetricOptions | undefined,
  knownKeys: readonly string[],
): CatalogueMetricRequest {
  if (!definition) {
    const close = closestKeys(String(referenceKey), knownKeys);
    const hint = close.length > 0 ? ` Did you mean ${close.map((key) => `"${key}"`).join(', ')}?` : '';
    throw new RangeError(
      `metric(): unknown reference key "${String(referenceKey)}".${hint} Every key is listed in \`referenceKeys\` from '@reportei-connect/metrics'.`,
    );
  }
  const id = options?.id;
  if (id !== undefined && (typeof id !== 'string' || id.length === 0)) {
    throw new TypeError(`metric("${referenceKey}"): \`id\` must be a non-empty string; leave it out to get a fresh uuid.`);
  }
  return { id: id ?? crypto.randomUUID(), ...structuredClone(definition) };
}

/** Builds an integration's catalogue from its generated data. */
export function defineIntegration<Components extends ComponentMap, Slug extends string>(
  source: IntegrationSource<Components, Slug>,
): IntegrationCatalogue<Components, Slug> {
  const definitions: Partial<Record<string, MetricDefinition>> = source.definitions;
  const referenceKeys = Object.keys(source.definitions) as (keyof Components & string)[];
  return {
    ...source,
    referenceKeys,
    metric: (referenceKey, options) =>
      createMetricRequest(
        Object.hasOwn(definitions, referenceKey) ? definitions[referenceKey] : undefined,
        referenceKey,
        options,
        referenceKeys,
      ) as never,
  };
}
