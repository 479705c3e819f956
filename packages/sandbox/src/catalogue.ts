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
  /** The prefixes of its `<prefix>:<metric>` reference keys (`ig`; Facebook Ads has two). */
  prefixes: ReadonlySet<string>;
  /** The labels and formatting of the metrics the network offers (its `setup.json`). */
  metrics: Readonly<Record<string, SetupField>>;
  dimensions: Readonly<Record<string, SetupField>>;
}

function networkOf(integration: IntegrationCatalogue): Network {
  return {
    slug: integration.slug,
    name: integration.name,
    referenceKeys: new Set(integration.referenceKeys),
    prefixes: new Set(integration.referenceKeys.filter((key) => key.includes(':')).map((key) => key.slice(0, key.indexOf(':')))),
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

const WELL_FORMED = /^([a-z0-9_]+):([A-Za-z0-9_.-]+)$/;

/**
 * Why `network` cannot answer `referenceKey`, or undefined when it can. The real API knows more metrics
 * than the published catalogue, so any well-formed key of the network's prefix is answered (with
 * values shaped by the requested component); refused are only keys that are malformed, of another
 * network, or of no network at all.
 */
export function referenceKeyProblem(network: Network, referenceKey: string): string | undefined {
  if (network.referenceKeys.has(referenceKey)) return undefined;
  const match = WELL_FORMED.exec(referenceKey);
  const example = [...network.referenceKeys][0];
  if (!match) return `The reference key "${referenceKey}" is not one: use <prefix>:<metric>, such as ${example}.`;
  const prefix = match[1]!;
  if (network.prefixes.has(prefix)) return undefined;
  const owner = networks.find((each) => each.prefixes.has(prefix));
  if (owner) return `The reference key "${referenceKey}" is a metric of ${owner.name}, not of ${network.name}: use a key such as ${example}.`;
  return `The reference key "${referenceKey}" names no network (no network's keys start with "${prefix}:"): ${network.name}'s keys look like ${example}.`;
}
