import type { OperationInput, OperationId } from '@reportei-connect/client';
import { resultsFitTheirComponents } from './catalogue.js';
import type { Clients, Fixtures } from './fixtures.js';
import { pointerOf, type Json } from './spec.js';
import type { SchemaFailure, SchemaValidator } from './validator.js';
import { describeValue } from './violations.js';

/** A request split the way OpenAPI describes it. */
export interface RequestInput {
  path?: Record<string, string>;
  query?: Record<string, string | number | boolean>;
  body?: Json;
}

/**
 * What the contract suite knows about one operation beyond the spec: how to call it for real. This is
 * the one place an operation is named: its negative and property cases, credentials, guards and
 * checks all come from the spec.
 */
export interface OperationContract {
  /** A valid request on the target under test (examples on the mock, real records on a server). */
  input(fixtures: Fixtures): Promise<RequestInput>;
  /** That request, sent through the generated client; resolves with what the client returns. */
  call(clients: Clients, input: RequestInput): Promise<unknown>;
  /**
   * The operation's rules for a successful body that the schema cannot express, for the request sent
   * (the check `response_semantics_conformance` applies them); pointers are relative to the body.
   */
  verify?(body: unknown, input: RequestInput, validator: SchemaValidator): SchemaFailure[];
  /** Bookkeeping once the call succeeded: records created or removed. */
  after?(result: unknown, input: RequestInput, fixtures: Fixtures): void;
  /** On a server, why inputs generated from the schemas cannot all be expected to succeed: the server knows more than the schema. */
  generatedInputsOnServer?: string;
  /** Why accepting generated inputs would leave records behind: they go to the mock and disposable servers (the sandbox) only. */
  generatedInputsLeaveRecords?: string;
  /** Why the positive call must never be made on a server whose records matter (it runs on the mock and disposable servers). */
  positiveOnServer?: string;
}

/** The one object the client's methods take: path, query and body fields together. */
function fields<Id extends OperationId>(input: RequestInput): OperationInput<Id> {
  return { ...input.path, ...input.query, ...(input.body as object | undefined) } as OperationInput<Id>;
}

/** One entry per operation of the spec, by operationId: the client's `OperationId`, generated from the same spec. */
export type ContractTable = { [Id in OperationId]: OperationContract };

/**
 * Every operation of the spec needs an entry here, and adding an operation to the spec needs nothing
 * else. An operation without one is a type error (the client, generated from the spec, knows it: see
 * {@link ContractTable}) and a failing test (the coverage gate of test/contract). The order is the
 * order of the flow against a server: create, use, delete.
 */
export const contracts = {
  getMerchantSettings: {
    input: async () => ({}),
    call: ({ merchant }) => merchant.getMerchantSettings(),
  },
  createCustomer: {
    input: async () => ({ body: { name: `contract-tests ${new Date().toISOString()}` } }),
    call: ({ merchant }, input) => merchant.createCustomer(fields<'createCustomer'>(input)),
    after: (result, _input, fixtures) => fixtures.track((result as { customer: { uuid: string } }).customer.uuid),
    generatedInputsLeaveRecords: 'every accepted body would create a customer',
  },
  listCustomers: {
    input: async () => ({ query: { page: 1, per_page: 5 } }),
    call: ({ merchant }, input) => merchant.listCustomers(fields<'listCustomers'>(input)),
  },
  getCustomer: {
    input: async (fixtures) => ({ path: { uuid: await fixtures.readableCustomerUuid() } }),
    call: ({ merchant }, input) => merchant.getCustomer(fields<'getCustomer'>(input)),
  },
  updateCustomer: {
    input: async (fixtures) => ({ path: { uuid: await fixtures.ownCustomerUuid() }, body: { name: 'contract-tests (renamed)' } }),
    call: ({ merchant }, input) => merchant.updateCustomer(fields<'updateCustomer'>(input)),
  },
  updateCustomerPaymentStatus: {
    input: async (fixtures) => ({ path: { uuid: await fixtures.ownCustomerUuid() }, body: { is_paying: true } }),
    call: ({ merchant }, input) => merchant.updateCustomerPaymentStatus(fields<'updateCustomerPaymentStatus'>(input)),
  },
  getCustomerSettings: {
    input: async () => ({}),
    call: async ({ customer }) => (await customer()).getCustomerSettings(),
  },
  createIntegrationSession: {
    input: async () => ({ body: { redirect_url: 'https://example.com/contract-tests', locale: 'en' } }),
    call: async ({ customer }, input) => (await customer()).createIntegrationSession(fields<'createIntegrationSession'>(input)),
  },
  listCustomerIntegrations: {
    input: async () => ({ query: { page: 1, per_page: 5 } }),
    call: async ({ customer }, input) => (await customer()).listCustomerIntegrations(fields<'listCustomerIntegrations'>(input)),
  },
  getCustomerIntegration: {
    input: async (fixtures) => ({ path: { uuid: await fixtures.integrationUuid() } }),
    call: async ({ customer }, input) => (await customer()).getCustomerIntegration(fields<'getCustomerIntegration'>(input)),
  },
  getMetricsData: {
    input: async (fixtures) => ({ body: (await fixtures.metricsRequest()) as unknown as Json }),
    call: async ({ customer }, input) => (await customer()).getMetricsData(fields<'getMetricsData'>(input)),
    verify: metricResults,
    generatedInputsOnServer: 'which metrics a network offers is known to the server, not the schema',
  },
  getMetricsDataAsync: {
    input: async (fixtures) => ({ body: { ...((await fixtures.metricsRequest()) as object), metrics_webhook_url: 'https://example.com/contract-tests/metrics' } }),
    call: async ({ customer }, input) => (await customer()).getMetricsDataAsync(fields<'getMetricsDataAsync'>(input)),
    generatedInputsOnServer: 'which metrics a network offers is known to the server, not the schema',
  },
  deleteCustomerIntegration: {
    input: async (fixtures) => ({ path: { uuid: await fixtures.integrationUuid() }, query: { session_id: await fixtures.sessionId() } }),
    call: async ({ customer }, input) => (await customer()).deleteCustomerIntegration(fields<'deleteCustomerIntegration'>(input)),
    positiveOnServer: "it would disconnect the customer's real network account",
    generatedInputsOnServer: 'which integration sessions exist is known to the server, not the schema',
  },
  deleteCustomer: {
    input: async (fixtures) => ({ path: { uuid: await fixtures.ownCustomerUuid() } }),
    call: ({ merchant }, input) => merchant.deleteCustomer(fields<'deleteCustomer'>(input)),
    after: (_result, input, fixtures) => fixtures.forget(input.path!.uuid!),
  },
} satisfies ContractTable;

/** The entry of an operation of the spec, or undefined when it has none. */
export function contractFor(operationId: string): OperationContract | undefined {
  return Object.hasOwn(contracts, operationId) ? (contracts as Record<string, OperationContract>)[operationId] : undefined;
}

/**
 * getMetricsData answers one entry per requested metric, keyed by its id, and nothing else, each
 * shaped as its metric's component says (the schema accepts any result shape for any metric). The
 * metrics webhook's payload is held to the same.
 */
export function metricResults(body: unknown, input: RequestInput, validator: SchemaValidator): SchemaFailure[] {
  const metrics = (input.body as { metrics?: { id: string; component?: unknown }[] }).metrics ?? [];
  return [...sameMetricIds(body, metrics), ...resultsFitTheirComponents(body, metrics, validator)];
}

function sameMetricIds(body: unknown, metrics: readonly { id: string }[]): SchemaFailure[] {
  const requested = metrics.map((metric) => metric.id);
  const answered = Object.keys(body as object);
  return [
    ...requested.filter((id) => !answered.includes(id)).map((id) => ({ pointer: pointerOf(id), expected: 'the result of the requested metric', actual: 'nothing' })),
    ...answered
      .filter((id) => !requested.includes(id))
      .map((id) => ({ pointer: pointerOf(id), expected: 'no result for a metric that was not requested', actual: describeValue((body as Record<string, unknown>)[id]) })),
  ];
}
