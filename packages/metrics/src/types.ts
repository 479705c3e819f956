import type { MetricComponent, MetricRequest } from '@reportei-connect/types';

/** The fields of a metric request other than its identity (`id`, `reference_key`, `component`). */
export type MetricRequestFields = {
  [Field in keyof MetricRequest as Field extends 'id' | 'reference_key' | 'component' ? never : Field]: MetricRequest[Field];
};

/** A ready-made metric from the catalogue: a metric request without its `id`. */
export interface MetricDefinition<Key extends string = string, Component extends MetricComponent = MetricComponent>
  extends MetricRequestFields {
  reference_key: Key;
  component: Component;
}

/**
 * A metric request made from the catalogue, ready for `getMetricsData`: its `component` is the literal
 * component of the metric and its `id` the literal id given (or `string`, a fresh uuid), so the client
 * types `result[id]` by component.
 */
export interface CatalogueMetricRequest<
  Key extends string = string,
  Component extends MetricComponent = MetricComponent,
  Id extends string = string,
> extends MetricDefinition<Key, Component> {
  id: Id;
}

/** Options of `metric()`. */
export interface MetricOptions<Id extends string = string> {
  /** The metric's id, which keys its result; a fresh `crypto.randomUUID()` when left out. */
  id?: Id;
}

/** A metric or dimension an integration offers, as its `setup.json` describes it. */
export interface SetupField {
  /** Human-readable name, such as `Reach`. */
  label: string;
  /** How values are formatted for display, such as `percentage` or `currency`. */
  formatting_function?: string;
  /** How values combine over a period, such as `latest_value` or `recalculate`. */
  group_by?: string;
  /** Whether the values are dates. */
  isDate?: boolean;
  /** Presentation hints, such as `align_left`. */
  options?: string[];
  /** Network-specific description of the dimension. */
  dimension?: Record<string, unknown>;
}

/** The component of each of an integration's ready-made metrics, by reference key. */
export type ComponentMap = Record<string, MetricComponent>;
