// The metrics catalogue for an agent: `searchMetrics` finds reference keys by words, and the reference
// keys it gives stand for whole metric requests in getMetricsData's input.
import { integrations, metric, type MetricDefinition, type ReferenceKey } from '@reportei-connect/metrics';
import { ToolError } from './errors.js';
import type { InputSchema } from './tool-table.js';

export interface FoundMetric {
  reference_key: string;
  component: string;
  /** One line: the network, then what is measured and by what. */
  description: string;
}

/** What a dimension of a definition is called: its name, or the field it breaks down by. */
const dimensionName = (dimension: unknown): string =>
  typeof dimension === 'string' ? dimension : String((dimension as { field?: unknown }).field ?? JSON.stringify(dimension));

/** Every metric of the catalogue with its line and the lower-case text a search looks in. */
const entries = integrations.flatMap((integration) =>
  Object.values<MetricDefinition>(integration.definitions).map((definition) => {
    const measures = definition.metrics.map((name) => integration.metrics[name]?.label ?? name);
    const dimensions = (definition.dimensions ?? []).map((dimension) => {
      const name = dimensionName(dimension);
      return integration.dimensions[name]?.label ?? name;
    });
    const description = `${integration.name}: ${measures.join(', ')}${dimensions.length > 0 ? ` by ${dimensions.join(', ')}` : ''}`;
    const found: FoundMetric = { reference_key: definition.reference_key, component: definition.component, description };
    const text = [definition.reference_key, integration.slug, description, definition.metrics.join(' '), definition.component].join(' ').toLowerCase();
    return { found, network: integration.slug, text };
  }),
);

export const SEARCH_METRICS = 'searchMetrics';

export const searchMetricsTool = {
  name: SEARCH_METRICS,
  title: 'Search the metrics catalogue',
  description:
    "Finds ready-made metrics of the catalogue by words (such as \"reach\", \"followers by city\", \"ad spend\"), optionally within one network. " +
    'Answers their reference keys, each with its component (the shape of its result) and a one-line description. ' +
    "getMetricsData takes the reference keys alone in its metrics list: the server fills in the rest.",
  inputSchema: {
    type: 'object',
    properties: {
      query: { type: 'string', minLength: 1, description: 'Words to look for in the metric names, their network and their reference keys.' },
      network: { type: 'string', enum: integrations.map((integration) => integration.slug), description: "Only this network's metrics: its slug, as listed in a customer integration's `slug`." },
      limit: { type: 'integer', minimum: 1, maximum: 100, default: 20, description: 'At most this many metrics.' },
    },
    required: ['query'],
    additionalProperties: false,
  } satisfies InputSchema,
  annotations: { title: 'Search the metrics catalogue', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
};

export interface MetricSearch {
  query: string;
  network?: string | undefined;
  limit?: number | undefined;
}

/**
 * The metrics whose text has the most of the query's words, those with all of them first, in catalogue
 * order among equals; `total` counts every metric with at least one.
 */
export function searchMetrics({ query, network, limit = 20 }: MetricSearch): { metrics: FoundMetric[]; total: number } {
  if (typeof query !== 'string' || query.trim() === '') throw new ToolError('searchMetrics needs a query: words such as "reach" or "followers by city".');
  if (network !== undefined && !integrations.some((integration) => integration.slug === network)) {
    throw new ToolError(`searchMetrics: no network "${network}"; the networks are ${integrations.map((integration) => integration.slug).join(', ')}.`);
  }
  const words = query.toLowerCase().split(/[\s,;]+/).filter(Boolean);
  const scored = entries
    .filter((entry) => network === undefined || entry.network === network)
    .map((entry) => ({ entry, score: words.filter((word) => entry.text.includes(word)).length }))
    .filter(({ score }) => score > 0)
    .sort((a, b) => b.score - a.score);
  return { metrics: scored.slice(0, limit).map(({ entry }) => entry.found), total: scored.length };
}

/** A metrics list where each reference key is the catalogue's metric request, with the key as its id. */
export function withCatalogueMetrics(metrics: unknown): unknown {
  if (!Array.isArray(metrics)) return metrics;
  return metrics.map((item) => (typeof item === 'string' ? metric(item as ReferenceKey, { id: item }) : item));
}
