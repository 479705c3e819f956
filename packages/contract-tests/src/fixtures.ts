import { ConnectError, createConnectClient, type ConnectClient, type CustomerClient, type OperationInput } from '@reportei-connect/client';
import { catalogueMetric } from './catalogue.js';
import type { TokenSource } from './credentials.js';
import { recordingFetch, type Exchange } from './exchange.js';
import type { OperationSpec } from './spec.js';
import type { TargetConfig } from './target.js';

/** A case cannot run against this target; `reason` says which setting would enable it. */
export class Unavailable extends Error {
  override name = 'Unavailable';
}

export interface Clients {
  merchant: ConnectClient;
  /** Throws {@link Unavailable} when the target has no customer token. */
  customer(): Promise<CustomerClient>;
}

export type MetricsRequest = OperationInput<'getMetricsData'>;

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/**
 * The inputs cases need (tokens, uuids, a session, a metrics request), worked out once per run for
 * the target: the spec's own examples on the mock, real records on a server. Records this run creates
 * are deleted by {@link Fixtures.cleanUp}.
 */
export class Fixtures {
  private readonly memo = new Map<string, Promise<unknown>>();
  private readonly createdCustomers = new Set<string>();

  constructor(
    readonly config: TargetConfig & { baseUrl: string },
    private readonly operations: OperationSpec[],
  ) {}

  private once<T>(key: string, make: () => Promise<T>): Promise<T> {
    if (!this.memo.has(key)) this.memo.set(key, make());
    return this.memo.get(key) as Promise<T>;
  }

  get onMock(): boolean {
    return this.config.kind === 'mock';
  }

  /** Clients of the generated SDK whose every exchange lands in `exchanges`. No retries: the suite must see each answer. */
  clients(exchanges: Exchange[] = []): Clients {
    const merchant = createConnectClient({ token: this.config.merchantToken, baseUrl: this.config.baseUrl, fetch: recordingFetch(exchanges), retry: false });
    return { merchant, customer: async () => merchant.forCustomer(await this.customerToken()) };
  }

  /** The token for a credential of the spec's security schemes: the merchant's bearer token, or the customer's API key. */
  readonly token: TokenSource = (credential) => (credential.role === 'merchant' ? Promise.resolve(this.config.merchantToken) : this.customerToken());

  /** The example value the spec gives a parameter of an operation: the mock accepts any well-formed value. */
  private example(operationId: string, name: string): string {
    const parameter = this.operations.find((operation) => operation.id === operationId)?.parameters.find((candidate) => candidate.name === name);
    if (typeof parameter?.example !== 'string') throw new Error(`The spec gives no example for ${operationId}'s ${name}: add one, the mock cases use it.`);
    return parameter.example;
  }

  private requireWrites(what: string): void {
    if (!this.config.allowWrites) throw new Unavailable(`${what} needs CONNECT_ALLOW_WRITES=1`);
  }

  /** A customer created by this run, deleted again at the end. */
  createdCustomer(): Promise<{ uuid: string; api_token: string }> {
    return this.once('created customer', async () => {
      this.requireWrites('creating a customer for the flow');
      const { customer } = await this.clients().merchant.createCustomer({ name: `contract-tests ${new Date().toISOString()}` });
      this.track(customer.uuid);
      return customer;
    });
  }

  /** Remembers a customer this run created, so that it is deleted at the end. */
  track(customerUuid: string): void {
    if (!this.onMock) this.createdCustomers.add(customerUuid);
  }

  forget(customerUuid: string): void {
    this.createdCustomers.delete(customerUuid);
  }

  customerToken(): Promise<string> {
    return this.once('customer token', async () => {
      if (this.config.customerToken) return this.config.customerToken;
      try {
        return (await this.createdCustomer()).api_token;
      } catch (error) {
        if (error instanceof Unavailable) throw new Unavailable('a customer token needs CONNECT_CUSTOMER_TOKEN, or CONNECT_ALLOW_WRITES=1 to create a customer');
        throw error;
      }
    });
  }

  /** A customer that may be read: the one this run created, else the merchant's first. */
  readableCustomerUuid(): Promise<string> {
    return this.once('readable customer', async () => {
      if (this.onMock) return this.example('getCustomer', 'uuid');
      if (this.config.allowWrites) return (await this.createdCustomer()).uuid;
      const { data } = await this.clients().merchant.listCustomers({ per_page: 1 });
      if (!data[0]) throw new Unavailable('the merchant has no customer to read: create one, or set CONNECT_ALLOW_WRITES=1');
      return data[0].uuid;
    });
  }

  /** A customer that may be changed and deleted: on a server, only one this run created. */
  async ownCustomerUuid(): Promise<string> {
    return this.onMock ? this.example('updateCustomer', 'uuid') : (await this.createdCustomer()).uuid;
  }

  integrationUuid(): Promise<string> {
    return this.once('integration', async () => {
      if (this.onMock) return this.example('getCustomerIntegration', 'uuid');
      if (!this.config.customerIntegration) throw new Unavailable('needs CONNECT_CUSTOMER_INTEGRATION (and the CONNECT_CUSTOMER_TOKEN of its customer)');
      return this.config.customerIntegration;
    });
  }

  /** The `session_uuid` of an integration session of the customer. */
  sessionId(): Promise<string> {
    return this.once('session', async () => {
      if (this.onMock) return this.example('deleteCustomerIntegration', 'session_id');
      this.requireWrites('creating an integration session');
      const { integration_session } = await (await this.clients().customer()).createIntegrationSession({});
      return integration_session.session_uuid;
    });
  }

  /**
   * A metrics request the target can answer: the spec's example on the mock; on a server, one
   * ready-made metric of the integration's network from the metrics catalogue, over the last week.
   */
  metricsRequest(): Promise<MetricsRequest> {
    return this.once('metrics request', async () => {
      const customer_integration = await this.integrationUuid();
      if (this.onMock) {
        const examples = this.operations.find((operation) => operation.id === 'getMetricsData')?.requestBody?.examples ?? {};
        const [example] = Object.values(examples);
        if (!example) throw new Error('The spec gives no example request for getMetricsData: add one, the mock cases use it.');
        return example as unknown as MetricsRequest;
      }
      const { customer_integration: integration } = await (await this.clients().customer()).getCustomerIntegration({ uuid: customer_integration });
      const metric = catalogueMetric(integration.integration.slug, 'contract-tests-metric');
      if (!metric) throw new Unavailable(`the metrics catalogue has no metric for the network "${integration.integration.slug}"`);
      const end = new Date();
      const start = new Date(end.getTime() - 7 * 24 * 3600 * 1000);
      return {
        customer_integration,
        start: isoDay(start),
        end: isoDay(end),
        metrics: [metric],
      } as MetricsRequest;
    });
  }

  /** Deletes the customers this run created and did not delete itself. */
  async cleanUp(): Promise<void> {
    const { merchant } = this.clients();
    for (const uuid of this.createdCustomers) {
      await merchant.deleteCustomer({ uuid }).catch((error: unknown) => {
        if (!(error instanceof ConnectError && error.status === 404)) throw error;
      });
      this.createdCustomers.delete(uuid);
    }
  }
}
