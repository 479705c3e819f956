/**
 * Which server the suite tests, read from the environment. By default the suite starts its own Prism
 * mock; with CONNECT_BASE_URL and CONNECT_TOKEN it tests that server instead.
 */
export interface TargetConfig {
  /** `mock`: the suite's own Prism, which keeps no state. `server`: anything else, production included. */
  kind: 'mock' | 'server';
  /** Undefined for the mock until it is started. */
  baseUrl: string | undefined;
  merchantToken: string;
  /** The customer whose token customer-scoped operations use; without it, a customer is created (writes only). */
  customerToken: string | undefined;
  /** A customer integration of that customer, for the integration and metrics operations. */
  customerIntegration: string | undefined;
  /** Operations that change state (spec-model's `changesState`: every method but GET, unless `x-changes-state: false`) may be called. Always true for the mock. */
  allowWrites: boolean;
  /**
   * The server's records are throwaway, as a sandbox's: the cases a real server is spared because they
   * would harm its records or leave records behind run there too. True for the `sandbox` project's
   * sandbox and with CONNECT_SANDBOX=1.
   */
  disposable: boolean;
  /**
   * Where the server's sandbox control endpoints are (`<origin>/__sandbox`: clock, integrations, webhook
   * deliveries), when it is a @reportei-connect/sandbox; the scenario steps that need them are skipped
   * without. Undefined for the mock and any other server.
   */
  controlUrl: string | undefined;
  property: {
    /** Generated inputs per property; 0 turns property cases off. */
    runs: number;
    seed: number;
  };
}

/** The variables the suite reads, documented in the README. */
export const environmentVariables = [
  'CONNECT_BASE_URL',
  'CONNECT_TOKEN',
  'CONNECT_CUSTOMER_TOKEN',
  'CONNECT_CUSTOMER_INTEGRATION',
  'CONNECT_ALLOW_WRITES',
  'CONNECT_SANDBOX',
  'CONNECT_PROPERTY_RUNS',
  'CONNECT_PROPERTY_SEED',
] as const;

/** Tokens the mock accepts: Prism checks that credentials are present, not what they are. */
const mockTokens = { merchant: 'contract-tests-merchant-token', customer: 'contract-tests-customer-token' } as const;

const DEFAULT_PROPERTY_RUNS = 20;
/** Fixed, so that a run against the same server repeats exactly; change it to explore other inputs. */
const DEFAULT_PROPERTY_SEED = 20240924;

/** Where a @reportei-connect/sandbox serves its control endpoints: at the origin, outside the API (its `CONTROL_PREFIX`). */
export const SANDBOX_CONTROL_PREFIX = '/__sandbox';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A target whose base URL is known: the server under test, started or not by the suite. */
export type ResolvedTarget = TargetConfig & { baseUrl: string };

export class TargetConfigError extends Error {
  override name = 'TargetConfigError';
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  if (!/^\d+$/.test(text)) throw new TargetConfigError(`${name} must be a whole number, got "${text}".`);
  return Number(text);
}

/** How many inputs each property case tries, and from which seed: CONNECT_PROPERTY_RUNS and CONNECT_PROPERTY_SEED. */
export function propertyFromEnv(env: NodeJS.ProcessEnv = process.env): TargetConfig['property'] {
  return { runs: integer(env, 'CONNECT_PROPERTY_RUNS', DEFAULT_PROPERTY_RUNS), seed: integer(env, 'CONNECT_PROPERTY_SEED', DEFAULT_PROPERTY_SEED) };
}

export function targetFromEnv(env: NodeJS.ProcessEnv = process.env): TargetConfig {
  const property = propertyFromEnv(env);
  const baseUrl = env.CONNECT_BASE_URL?.trim();
  if (!baseUrl) {
    return { kind: 'mock', baseUrl: undefined, merchantToken: mockTokens.merchant, customerToken: mockTokens.customer, customerIntegration: undefined, allowWrites: true, disposable: false, controlUrl: undefined, property };
  }
  if (!/^https?:\/\/[^/]/.test(baseUrl) || !URL.canParse(baseUrl)) {
    throw new TargetConfigError(`CONNECT_BASE_URL must be an http(s) URL such as https://connect.reportei.com/api, got "${baseUrl}".`);
  }
  const merchantToken = env.CONNECT_TOKEN?.trim();
  if (!merchantToken) {
    throw new TargetConfigError('CONNECT_BASE_URL is set but CONNECT_TOKEN is not: export the merchant API token as CONNECT_TOKEN, or unset CONNECT_BASE_URL to test the local mock.');
  }
  const customerIntegration = env.CONNECT_CUSTOMER_INTEGRATION?.trim() || undefined;
  if (customerIntegration && !uuidPattern.test(customerIntegration)) {
    throw new TargetConfigError(`CONNECT_CUSTOMER_INTEGRATION must be the uuid of a customer integration, got "${customerIntegration}".`);
  }
  const sandbox = env.CONNECT_SANDBOX === '1';
  return {
    kind: 'server',
    baseUrl: baseUrl.replace(/\/+$/, ''),
    merchantToken,
    customerToken: env.CONNECT_CUSTOMER_TOKEN?.trim() || undefined,
    customerIntegration,
    allowWrites: env.CONNECT_ALLOW_WRITES === '1',
    disposable: sandbox,
    controlUrl: sandbox ? new URL(SANDBOX_CONTROL_PREFIX, baseUrl).href : undefined,
    property,
  };
}

/** One line saying what is under test, for the start of a run. Never prints a token. */
export function describeTarget(config: TargetConfig): string {
  if (config.kind === 'mock') return `Contract target: the Prism mock at ${config.baseUrl ?? '(not started)'}`;
  const set = (value: unknown) => (value ? 'set' : 'not set');
  return (
    `Contract target: ${config.baseUrl} (customer token ${set(config.customerToken)}, customer integration ${set(config.customerIntegration)}, ` +
    `writes ${config.allowWrites ? 'allowed' : 'off: set CONNECT_ALLOW_WRITES=1 to run the create/use/delete flow and the scenarios'}` +
    `${config.controlUrl ? ', a sandbox: its records disposable, its control endpoints used' : ''})`
  );
}
