import type { DeepReadonly, MetricRequest, MetricsDataResponse, MetricsResult, operations, paths } from '@reportei-connect/types';
import type { Client } from 'openapi-fetch';
import type { operationTable } from './generated/operations.js';
import type { CallOptions } from './transport.js';

type Table = typeof operationTable;
/** Every operation of the spec, by operationId. */
export type OperationId = keyof Table & keyof operations;
/** Operations that need the customer token: they exist only on the client returned by `forCustomer`. */
export type CustomerOperationId = { [Id in OperationId]: Table[Id]['requiresCustomerToken'] extends true ? Id : never }[OperationId];
export type MerchantOperationId = Exclude<OperationId, CustomerOperationId>;

type Simplify<T> = { [Key in keyof T]: T[Key] } & {};
/** `T` without `undefined`, or no fields when the spec declares none (`never`). */
type Fields<T> = [NonNullable<T>] extends [never] ? {} : NonNullable<T>;
type JsonContent<T> = T extends { content: { 'application/json': infer Body } } ? Body : undefined;
type SuccessStatus = 200 | 201 | 202 | 203 | 204 | 205 | 206;

/** The one object a method takes: its path, query and body fields together. */
export type OperationInput<Id extends OperationId> = Simplify<
  Fields<operations[Id]['parameters']['path']> &
    Fields<operations[Id]['parameters']['query']> &
    Fields<JsonContent<NonNullable<operations[Id]['requestBody']>>>
>;

/** What a method resolves with: the body of the operation's success response. */
export type OperationOutput<Id extends OperationId> = JsonContent<
  operations[Id]['responses'][Extract<keyof operations[Id]['responses'], SuccessStatus>]
>;

/** A metric as a method accepts it: `as const` and inferred literal arrays are fine. */
export type MetricInput = DeepReadonly<MetricRequest>;

/**
 * A method taking `metrics` and answering with their results: generic over the metrics array, so each
 * result is typed by its metric's component and only requested ids are keys.
 */
export type MetricsMethod<Input extends { metrics: unknown }> = <const Metrics extends readonly MetricInput[]>(
  params: Omit<Input, 'metrics'> & { metrics: Metrics },
  options?: CallOptions,
) => Promise<MetricsResult<Metrics>>;

export type OperationMethod<Id extends OperationId> = OperationInput<Id> extends { metrics: MetricRequest[] }
  ? [OperationOutput<Id>] extends [MetricsDataResponse]
    ? MetricsMethod<OperationInput<Id>>
    : PlainMethod<Id>
  : PlainMethod<Id>;

type PlainMethod<Id extends OperationId> = {} extends OperationInput<Id>
  ? (params?: OperationInput<Id>, options?: CallOptions) => Promise<OperationOutput<Id>>
  : (params: OperationInput<Id>, options?: CallOptions) => Promise<OperationOutput<Id>>;

type Methods<Ids extends OperationId> = { readonly [Id in Ids]: OperationMethod<Id> };

/**
 * A customer-scoped operation as the merchant client has it: a function whose `this` must be a
 * sentence no client is, so that calling it fails to compile with that sentence in the message
 * (TS2684, "The 'this' context of type 'ConnectClient' is not assignable to method's 'this' of type
 * '"getMetricsData needs the customer token: call connect.forCustomer(…"'"). At run time it throws a
 * TypeError saying the same.
 */
export type NeedsForCustomer<Id extends string> = (
  this: `${Id} needs the customer token: call connect.forCustomer(customer.api_token).${Id}(...) instead`,
  ...args: unknown[]
) => never;

/**
 * The merchant client: every operation that needs only the merchant token, and the customer-scoped
 * ones as {@link NeedsForCustomer}, which only point to `forCustomer`.
 */
export type ConnectClient = Methods<MerchantOperationId> & { readonly [Id in CustomerOperationId]: NeedsForCustomer<Id> } & {
  /** The underlying openapi-fetch client, with the same auth, retries and timeouts. */
  readonly raw: Client<paths>;
  /** A client that also sends this customer's token, with every operation. Throws at once if the token is empty. */
  forCustomer(customerToken: string): CustomerClient;
};

/** The client of one customer (from `forCustomer`): every operation, customer-scoped ones included. */
export type CustomerClient = Methods<OperationId> & {
  /** The underlying openapi-fetch client, sending the customer token too. */
  readonly raw: Client<paths>;
};
