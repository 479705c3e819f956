import { networkBySlug } from './catalogue.js';
import { tokenFrom, uuidFrom } from './random.js';

/** Every new customer's trial. */
export const TRIAL_MS = 7 * 24 * 3600 * 1000;
/** How long an integration session's link works. */
export const SESSION_MS = 5 * 60 * 1000;
/** Sessions this long past their expiry are forgotten (they can no longer authorise anything). */
const SESSION_RETENTION_MS = 24 * 3600 * 1000;

export type IntegrationStatus = 'active' | 'expired' | 'revoked';
export const INTEGRATION_STATUSES: readonly IntegrationStatus[] = ['active', 'expired', 'revoked'];

export interface MerchantRecord {
  uuid: string;
  name: string;
  createdAt: number;
  updatedAt: number;
}

export interface CustomerRecord {
  uuid: string;
  name: string;
  /** The customer's secret `x-customer-token`. */
  apiToken: string;
  createdAt: number;
  updatedAt: number;
  trialEndsAt: number;
  isPaying: boolean;
}

export interface IntegrationRecord {
  uuid: string;
  /** The owning customer's uuid. */
  customer: string;
  /** The network, such as `instagram_business`. */
  slug: string;
  sourceName: string;
  status: IntegrationStatus;
  createdAt: number;
  updatedAt: number;
}

export interface DemoRecord {
  customer: string;
  token: string;
  integration: string;
}

export interface SessionRecord {
  uuid: string;
  customer: string;
  createdAt: number;
  expiresAt: number;
  redirectUrl?: string;
  locale?: string;
}

/** What the sandbox knows, as written to a `--state` file. Times are milliseconds since the epoch. */
export interface StateData {
  format: typeof STATE_FORMAT;
  version: typeof STATE_VERSION;
  seed: string;
  /** How many ids and tokens have been made: the next one is made from this number. */
  sequence: number;
  /** The sandbox clock's lead over real time. */
  clockOffsetMs: number;
  merchant: MerchantRecord;
  /** The seeded demo customer (its uuid and token) and its active Instagram Business integration. */
  demo: DemoRecord;
  /** In creation order, which is the order of `listCustomers`. */
  customers: CustomerRecord[];
  integrations: IntegrationRecord[];
  sessions: SessionRecord[];
}

export const STATE_FORMAT = 'connect-sandbox-state';
export const STATE_VERSION = 1;

/** The in-memory state, indexed for every lookup the operations make. */
export class Store {
  readonly seed: string;
  readonly merchant: MerchantRecord;
  readonly demo: DemoRecord;
  private sequence: number;
  clockOffsetMs: number;
  /** Creation order; pages are slices of it, never sorted per request. */
  private readonly customerList: CustomerRecord[];
  private readonly customersByUuid = new Map<string, CustomerRecord>();
  private readonly customersByToken = new Map<string, CustomerRecord>();
  private readonly integrationsByCustomer = new Map<string, IntegrationRecord[]>();
  private readonly integrationsByUuid = new Map<string, IntegrationRecord>();
  private readonly sessions = new Map<string, SessionRecord>();
  /** Called after every change (persistence listens). */
  onChange: () => void = () => {};

  constructor(data: StateData) {
    this.seed = data.seed;
    this.sequence = data.sequence;
    this.clockOffsetMs = data.clockOffsetMs;
    this.merchant = { ...data.merchant };
    this.demo = { ...data.demo };
    this.customerList = data.customers.map((customer) => ({ ...customer }));
    for (const customer of this.customerList) {
      this.customersByUuid.set(customer.uuid, customer);
      this.customersByToken.set(customer.apiToken, customer);
    }
    for (const integration of data.integrations) this.addIntegration({ ...integration });
    for (const session of data.sessions) this.sessions.set(session.uuid, { ...session });
  }

  /** The state a seed starts from: the merchant, and the demo customer (paying) with two integrations. */
  static seeded(seed: string, nowMs: number, clockOffsetMs = 0): Store {
    const store = new Store({
      format: STATE_FORMAT,
      version: STATE_VERSION,
      seed,
      sequence: 0,
      clockOffsetMs,
      merchant: { uuid: uuidFrom(seed, 'merchant'), name: 'Sandbox Merchant', createdAt: nowMs, updatedAt: nowMs },
      demo: { customer: '', token: '', integration: '' },
      customers: [],
      integrations: [],
      sessions: [],
    });
    const customer = store.createCustomer('Demo Customer', nowMs);
    customer.isPaying = true;
    const instagram = store.connectIntegration(customer.uuid, 'instagram_business', 'active', nowMs, 'sandbox.demo');
    store.connectIntegration(customer.uuid, 'facebook', 'expired', nowMs, 'Sandbox Demo Page');
    store.demo.customer = customer.uuid;
    store.demo.token = customer.apiToken;
    store.demo.integration = instagram.uuid;
    return store;
  }

  private nextNumber(): number {
    return this.sequence++;
  }

  private changed(): void {
    this.onChange();
  }

  // Customers

  get customerCount(): number {
    return this.customerList.length;
  }

  createCustomer(name: string, nowMs: number): CustomerRecord {
    const number = this.nextNumber();
    const customer: CustomerRecord = {
      uuid: uuidFrom(this.seed, 'customer', number),
      name,
      apiToken: tokenFrom(this.seed, 'customer', number),
      createdAt: nowMs,
      updatedAt: nowMs,
      trialEndsAt: nowMs + TRIAL_MS,
      isPaying: false,
    };
    this.customerList.push(customer);
    this.customersByUuid.set(customer.uuid, customer);
    this.customersByToken.set(customer.apiToken, customer);
    this.changed();
    return customer;
  }

  customer(uuid: string): CustomerRecord | undefined {
    return this.customersByUuid.get(uuid);
  }

  customerByToken(token: string): CustomerRecord | undefined {
    return this.customersByToken.get(token);
  }

  /** One page of customers, in creation order: a slice, whatever the number of customers. */
  customerPage(offset: number, limit: number): CustomerRecord[] {
    return this.customerList.slice(offset, offset + limit);
  }

  updateCustomer(customer: CustomerRecord, changes: { name?: string; isPaying?: boolean }, nowMs: number): void {
    if (changes.name !== undefined) customer.name = changes.name;
    if (changes.isPaying !== undefined) customer.isPaying = changes.isPaying;
    customer.updatedAt = nowMs;
    this.changed();
  }

  deleteCustomer(customer: CustomerRecord): void {
    this.customerList.splice(this.customerList.indexOf(customer), 1);
    this.customersByUuid.delete(customer.uuid);
    this.customersByToken.delete(customer.apiToken);
    for (const integration of this.integrationsByCustomer.get(customer.uuid) ?? []) this.integrationsByUuid.delete(integration.uuid);
    this.integrationsByCustomer.delete(customer.uuid);
    for (const session of this.sessions.values()) if (session.customer === customer.uuid) this.sessions.delete(session.uuid);
    this.changed();
  }

  // Integrations

  private addIntegration(integration: IntegrationRecord): void {
    const list = this.integrationsByCustomer.get(integration.customer);
    if (list) list.push(integration);
    else this.integrationsByCustomer.set(integration.customer, [integration]);
    this.integrationsByUuid.set(integration.uuid, integration);
  }

  /** Connects a network to a customer, as the hosted integration page does. */
  connectIntegration(customerUuid: string, slug: string, status: IntegrationStatus, nowMs: number, sourceName?: string): IntegrationRecord {
    if (!this.customersByUuid.has(customerUuid)) throw new RangeError(`No customer ${customerUuid}.`);
    const network = networkBySlug(slug);
    if (!network) throw new RangeError(`No network "${slug}".`);
    const number = this.nextNumber();
    const integration: IntegrationRecord = {
      uuid: uuidFrom(this.seed, 'integration', number),
      customer: customerUuid,
      slug,
      sourceName: sourceName ?? `${network.name} account ${number}`,
      status,
      createdAt: nowMs,
      updatedAt: nowMs,
    };
    this.addIntegration(integration);
    this.changed();
    return integration;
  }

  /** The customer's integrations, in the order they were connected. */
  integrationsOf(customerUuid: string): readonly IntegrationRecord[] {
    return this.integrationsByCustomer.get(customerUuid) ?? [];
  }

  /** The integration with this uuid, whoever's it is. */
  integration(uuid: string): IntegrationRecord | undefined {
    return this.integrationsByUuid.get(uuid);
  }

  /** The integration with this uuid, only when it belongs to the customer. */
  integrationOf(customerUuid: string, uuid: string): IntegrationRecord | undefined {
    const integration = this.integrationsByUuid.get(uuid);
    return integration?.customer === customerUuid ? integration : undefined;
  }

  setIntegrationStatus(integration: IntegrationRecord, status: IntegrationStatus, nowMs: number): void {
    integration.status = status;
    integration.updatedAt = nowMs;
    this.changed();
  }

  deleteIntegration(integration: IntegrationRecord): void {
    const list = this.integrationsByCustomer.get(integration.customer) ?? [];
    list.splice(list.indexOf(integration), 1);
    this.integrationsByUuid.delete(integration.uuid);
    this.changed();
  }

  // Integration sessions

  createSession(customerUuid: string, nowMs: number, options: { redirectUrl?: string; locale?: string }): SessionRecord {
    for (const old of this.sessions.values()) if (old.expiresAt + SESSION_RETENTION_MS < nowMs) this.sessions.delete(old.uuid);
    const session: SessionRecord = {
      uuid: uuidFrom(this.seed, 'session', this.nextNumber()),
      customer: customerUuid,
      createdAt: nowMs,
      expiresAt: nowMs + SESSION_MS,
      ...(options.redirectUrl !== undefined && { redirectUrl: options.redirectUrl }),
      ...(options.locale !== undefined && { locale: options.locale }),
    };
    this.sessions.set(session.uuid, session);
    this.changed();
    return session;
  }

  session(uuid: string): SessionRecord | undefined {
    return this.sessions.get(uuid);
  }

  // Persistence

  setClockOffset(offsetMs: number): void {
    this.clockOffsetMs = offsetMs;
    this.changed();
  }

  toJSON(): StateData {
    return {
      format: STATE_FORMAT,
      version: STATE_VERSION,
      seed: this.seed,
      sequence: this.sequence,
      clockOffsetMs: this.clockOffsetMs,
      merchant: this.merchant,
      demo: this.demo,
      customers: this.customerList,
      integrations: [...this.integrationsByCustomer.values()].flat(),
      sessions: [...this.sessions.values()],
    };
  }
}
