// Types of generate.mjs, for the TypeScript tests of @reportei-connect/metrics.
/** A setup.json metric or dimension; its properties are typed for users in packages/metrics/src/types.ts. */
export interface SetupField {
  label: string;
  [property: string]: unknown;
}
export interface Definition {
  reference_key: string;
  component: string;
  metrics: string[];
  [option: string]: unknown;
}
export interface Integration {
  slug: string;
  name: string;
  definitions: Definition[];
  metrics: Record<string, SetupField>;
  dimensions: Record<string, SetupField>;
}
export function loadIntegrations(
  payloadsDir: string,
  rules: { components: readonly string[]; referenceKeyPattern: RegExp },
  warn?: (message: string) => void,
): Integration[];
export function writeModules(integrations: Integration[], outDir: string, source: string): void;
