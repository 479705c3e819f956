import { integrations, type IntegrationCatalogue, type SetupField } from '@reportei-connect/metrics';

/**
 * The networks and their ready-made metrics, from `@reportei-connect/metrics` (generated from the
 * spec's payload data, `spec/payloads/<integration>/{metrics,setup}.json`).
 */
export interface Network {
  slug: string;
  /** Display name, such as `Instagram Business`. */
  name: string;
  referenceKeys: ReadonlySet<string>;
  /** The labels and formatting of the metrics the network offers (its `setup.json`). */
  metrics: Readonly<Record<string, SetupField>>;
  dimensions: Readonly<Record<string, SetupField>>;
}

function networkOf(integration: IntegrationCatalogue): Network {
  return {
    slug: integration.slug,
    name: integration.name,
    referenceKeys: new Set(integration.referenceKeys),
    metrics: integration.metrics,
    dimensions: integration.dimensions,
  };
}

/** Every network, sorted by slug. */
export const networks: readonly Network[] = integrations.map((integration) => networkOf(integration as unknown as IntegrationCatalogue));

const bySlug = new Map(networks.map((network) => [network.slug, network]));

export function networkBySlug(slug: string): Network | undefined {
  return bySlug.get(slug);
}

/** The network whose catalogue holds `referenceKey`, if any. */
export function networkOfReferenceKey(referenceKey: string): Network | undefined {
  return networks.find((network) => network.referenceKeys.has(referenceKey));
}
