import { networkBySlug } from './catalogue.js';
import { tokenFrom, uuidFrom } from './random.js';

/** Every new customer's trial. */
const TRIAL_MS = 7 * 24 * 3600 * 1000;
/** How long an integration session's link works. */
const SESSION_MS = 5 * 60 * 1000;
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

/** What the store holds, as a `--state` file's snapshot writes it. Times are milliseconds since the epoch. */
export interface StoreData {
  seed: string;
  /** What customer tokens derive from: the seed when one was given, else a random secret kept here. */
  secret: string;
  /** How many ids and tokens have been made: the next one is made from this number. Never goes back, not even on reset. */
  sequence: number;
  merchant: MerchantRecord;
  /** The seeded demo customer (its uuid and token) and its active Instagram Business integration. */
  demo: DemoRecord;
  /** In creation order, which is the order of `listCustomers`. */
  customers: CustomerRecord[];
  integrations: IntegrationRecord[];
  sessions: SessionRecord[];
}

/**
 * One change of the store, as the journal of a `--state` file records it: a record written whole, or
 * removed. Replaying a change already applied changes nothing, which compaction relies on.
 */
export type StoreOp =
  | { put: 'customer'; record: CustomerRecord }
  | { put: 'integration'; record: IntegrationRecord }
  | { put: 'session'; record: SessionRecord }
  | { remove: 'customer' | 'integration' | 'session'; uuid: string };

/** What the store tells of each change: the op to save, and how to undo it if the save fails. */
export type ChangeRecorder = (op: StoreOp, undo: () => void) => void;

/** Uuids are compared without case (RFC 4122 says they are read so); the store keeps them lower case. */
const key = (uuid: string) => uuid.toLowerCase();

/** The in-memory state, indexed for every lookup the operations make. */
export class Store {
  readonly seed: string;
  readonly secret: string;
  readonly merchant: MerchantRecord;
  readonly demo: DemoRecord;
  private sequence: number;
  /** Creation order; pages are slices of it, never sorted per request. */
  private readonly customerList: CustomerRecord[];
  private readonly customersByUuid = new Map<string, CustomerRecord>();
  private readonly customersByToken = new Map<string, CustomerRecord>();
  private readonly integrationsByCustomer = new Map<string, IntegrationRecord[]>();
  private readonly integrationsByUuid = new Map<string, IntegrationRecord>();
  private readonly sessions = new Map<string, SessionRecord>();
  /**
   * Told of every change. The runtime records them within a transaction, and refuses changes made
   * outside one: every change is saved, or undone.
   */
  record: ChangeRecorder = () => {};

  constructor(data: StoreData) {
    this.seed = data.seed;
    this.secret = data.secret;
    this.sequence = data.sequence;
    this.merchant = { ...data.merchant };
    this.demo = { ...data.demo };
    this.customerList = data.customers.map((customer) => ({ ...customer }));
    for (const customer of this.customerList) {
      this.customersByUuid.set(key(customer.uuid), customer);
      this.customersByToken.set(customer.apiToken, customer);
    }
    for (const integration of data.integrations) this.addIntegration({ ...integration });
    for (const session of data.sessions) this.sessions.set(key(session.uuid), { ...session });
  }

  /**
   * The state a seed starts from: the merchant, and the demo customer (paying) with two integrations,
   * always the first three numbers. `sequence` continues an earlier store's (a reset), so that no
   * other record ever gets the uuid or token of one made before.
   */
  static seeded(seed: string, secret: string, nowMs: number, sequence = 0): Store {
    const store = new Store({
      seed,
      secret,
      sequence: 0,
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
    store.sequence = Math.max(store.sequence, sequence);
    return store;
  }

  /** The next number ids and tokens are made from. Not undone with a failed change: a number is never handed out twice. */
  takeNumber(): number {
    return this.sequence++;
  }

  get nextSequence(): number {
    return this.sequence;
  }

  /** Moves the sequence to where a journal entry says it stood (never back). */
  continueFrom(sequence: number): void {
    this.sequence = Math.max(this.sequence, sequence);
  }

  /** Applies a change read back from the journal (see {@link StoreOp}). */
  apply(op: StoreOp): void {
    if ('remove' in op) {
      if (op.remove === 'customer') this.removeCustomer(op.uuid);
      else if (op.remove === 'integration') this.removeIntegration(op.uuid);
      else this.sessions.delete(key(op.uuid));
      return;
    }
    if (op.put === 'customer') {
      const existing = this.customersByUuid.get(key(op.record.uuid));
      if (existing) this.customersByToken.delete(existing.apiToken);
      const customer = existing ? Object.assign(existing, op.record) : { ...op.record };
      if (!existing) {
        this.customerList.push(customer);
        this.customersByUuid.set(key(customer.uuid), customer);
      }
      this.customersByToken.set(customer.apiToken, customer);
    } else if (op.put === 'integration') {
      const existing = this.integrationsByUuid.get(key(op.record.uuid));
      if (existing) Object.assign(existing, op.record);
      else this.addIntegration({ ...op.record });
    } else {
      this.sessions.set(key(op.record.uuid), { ...op.record });
    }
  }

  /** Removes a customer with its integrations and sessions; answers what is needed to put them back. */
  private removeCustomer(uuid: string): (() => void) | undefined {
    const customer = this.customersByUuid.get(key(uuid));
    if (!customer) return undefined;
    const index = this.customerList.indexOf(customer);
    const integrations = this.integrationsByCustomer.get(customer.uuid) ?? [];
    const sessions = [...this.sessions.values()].filter((session) => session.customer === customer.uuid);
    this.customerList.splice(index, 1);
    this.customersByUuid.delete(key(customer.uuid));
    this.customersByToken.delete(customer.apiToken);
    for (const integration of integrations) this.integrationsByUuid.delete(key(integration.uuid));
    this.integrationsByCustomer.delete(customer.uuid);
    for (const session of sessions) this.sessions.delete(key(session.uuid));
    return () => {
      this.customerList.splice(index, 0, customer);
      this.customersByUuid.set(key(customer.uuid), customer);
      this.customersByToken.set(customer.apiToken, customer);
      if (integrations.length > 0) this.integrationsByCustomer.set(customer.uuid, integrations);
      for (const integration of integrations) this.integrationsByUuid.set(key(integration.uuid), integration);
      for (const session of sessions) this.sessions.set(key(session.uuid), session);
    };
  }

  private removeIntegration(uuid: string): (() => void) | undefined {
    const integration = this.integrationsByUuid.get(key(uuid));
    if (!integration) return undefined;
    const list = this.integrationsByCustomer.get(integration.customer) ?? [];
    const index = list.indexOf(integration);
    list.splice(index, 1);
    this.integrationsByUuid.delete(key(integration.uuid));
    return () => {
      list.splice(index, 0, integration);
      this.integrationsByUuid.set(key(integration.uuid), integration);
    };
  }

  /** Changes a record in place, telling the recorder (its undo puts the old fields back). */
  private update<Record extends object>(kind: 'customer' | 'integration', record: Record, changes: Partial<Record>): void {
    const before = { ...record };
    Object.assign(record, changes);
    this.record({ put: kind, record: { ...record } } as StoreOp, () => Object.assign(record, before));
  }

  // Customers

  get customerCount(): number {
    return this.customerList.length;
  }

  createCustomer(name: string, nowMs: number): CustomerRecord {
    const number = this.takeNumber();
    const customer: CustomerRecord = {
      uuid: uuidFrom(this.seed, 'customer', number),
      name,
      apiToken: tokenFrom(this.secret, 'customer', number),
      createdAt: nowMs,
      updatedAt: nowMs,
      trialEndsAt: nowMs + TRIAL_MS,
      isPaying: false,
    };
    this.customerList.push(customer);
    this.customersByUuid.set(key(customer.uuid), customer);
    this.customersByToken.set(customer.apiToken, customer);
    this.record({ put: 'customer', record: { ...customer } }, () => this.removeCustomer(customer.uuid));
    return customer;
  }

  customer(uuid: string): CustomerRecord | undefined {
    return this.customersByUuid.get(key(uuid));
  }

  customerByToken(token: string): CustomerRecord | undefined {
    return this.customersByToken.get(token);
  }

  /** One page of customers, in creation order: a slice, whatever the number of customers. */
  customerPage(offset: number, limit: number): CustomerRecord[] {
    return this.customerList.slice(offset, offset + limit);
  }

  updateCustomer(customer: CustomerRecord, changes: { name?: string; isPaying?: boolean }, nowMs: number): void {
    this.update('customer', customer, {
      ...(changes.name !== undefined && { name: changes.name }),
      ...(changes.isPaying !== undefined && { isPaying: changes.isPaying }),
      updatedAt: nowMs,
    });
  }

  deleteCustomer(customer: CustomerRecord): void {
    const undo = this.removeCustomer(customer.uuid);
    if (undo) this.record({ remove: 'customer', uuid: customer.uuid }, undo);
  }

  // Integrations

  private addIntegration(integration: IntegrationRecord): void {
    const list = this.integrationsByCustomer.get(integration.customer);
    if (list) list.push(integration);
    else this.integrationsByCustomer.set(integration.customer, [integration]);
    this.integrationsByUuid.set(key(integration.uuid), integration);
  }

  /** Connects a network to a customer, as the hosted integration page does. */
  connectIntegration(customerUuid: string, slug: string, status: IntegrationStatus, nowMs: number, sourceName?: string): IntegrationRecord {
    const customer = this.customersByUuid.get(key(customerUuid));
    if (!customer) throw new RangeError(`No customer ${customerUuid}.`);
    const network = networkBySlug(slug);
    if (!network) throw new RangeError(`No network "${slug}".`);
    const number = this.takeNumber();
    const integration: IntegrationRecord = {
      uuid: uuidFrom(this.seed, 'integration', number),
      customer: customer.uuid,
      slug,
      sourceName: sourceName ?? `${network.name} account ${number}`,
      status,
      createdAt: nowMs,
      updatedAt: nowMs,
    };
    this.addIntegration(integration);
    this.record({ put: 'integration', record: { ...integration } }, () => this.removeIntegration(integration.uuid));
    return integration;
  }

  /** The customer's integrations, in the order they were connected. */
  integrationsOf(customerUuid: string): readonly IntegrationRecord[] {
    return this.integrationsByCustomer.get(customerUuid) ?? [];
  }

  /** The integration with this uuid, whoever's it is. */
  integration(uuid: string): IntegrationRecord | undefined {
    return this.integrationsByUuid.get(key(uuid));
  }

  /** The integration with this uuid, only when it belongs to the customer. */
  integrationOf(customerUuid: string, uuid: string): IntegrationRecord | undefined {
    const integration = this.integrationsByUuid.get(key(uuid));
    return integration?.customer === customerUuid ? integration : undefined;
  }

  setIntegrationStatus(integration: IntegrationRecord, status: IntegrationStatus, nowMs: number): void {
    this.update('integration', integration, { status, updatedAt: nowMs });
  }

  deleteIntegration(integration: IntegrationRecord): void {
    const undo = this.removeIntegration(integration.uuid);
    if (undo) this.record({ remove: 'integration', uuid: integration.uuid }, undo);
  }

  // Integration sessions

  createSession(customerUuid: string, nowMs: number, options: { redirectUrl?: string; locale?: string }): SessionRecord {
    for (const old of this.sessions.values()) {
      if (old.expiresAt + SESSION_RETENTION_MS >= nowMs) continue;
      this.sessions.delete(key(old.uuid));
      this.record({ remove: 'session', uuid: old.uuid }, () => this.sessions.set(key(old.uuid), old));
    }
    const session: SessionRecord = {
      uuid: uuidFrom(this.seed, 'session', this.takeNumber()),
      customer: customerUuid,
      createdAt: nowMs,
      expiresAt: nowMs + SESSION_MS,
      ...(options.redirectUrl !== undefined && { redirectUrl: options.redirectUrl }),
      ...(options.locale !== undefined && { locale: options.locale }),
    };
    this.sessions.set(key(session.uuid), session);
    this.record({ put: 'session', record: { ...session } }, () => this.sessions.delete(key(session.uuid)));
    return session;
  }

  session(uuid: string): SessionRecord | undefined {
    return this.sessions.get(key(uuid));
  }

  // Persistence

  toJSON(): StoreData {
    return {
      seed: this.seed,
      secret: this.secret,
      sequence: this.sequence,
      merchant: this.merchant,
      demo: this.demo,
      customers: this.customerList,
      integrations: [...this.integrationsByCustomer.values()].flat(),
      sessions: [...this.sessions.values()],
    };
  }
}
