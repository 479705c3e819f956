/**
 * Types of the Reportei Connect API. `paths`, `components`, `operations` and `webhooks` are generated
 * from the bundled OpenAPI document by openapi-typescript; the aliases below give the main schemas
 * readable names.
 */
import type { components } from './generated/schema.js';

export type { paths, components, operations, webhooks } from './generated/schema.js';

type Schemas = components['schemas'];

export type Merchant = Schemas['Merchant'];
export type IntegrationRef = Schemas['IntegrationRef'];
export type Customer = Schemas['Customer'];
/** A customer as `createCustomer` returns it, the only time its `api_token` is ever sent. */
export type CreatedCustomer = Schemas['CreatedCustomer'];
export type CustomerInput = Schemas['CustomerInput'];
export type CustomerSettings = Schemas['CustomerSettings'];
export type CustomerPage = Schemas['CustomerPage'];
export type PaymentStatusInput = Schemas['PaymentStatusInput'];
export type CustomerIntegration = Schemas['CustomerIntegration'];
export type CustomerIntegrationPage = Schemas['CustomerIntegrationPage'];
export type IntegrationStatus = Schemas['IntegrationStatus'];
export type IntegrationSessionInput = Schemas['IntegrationSessionInput'];
export type IntegrationSession = Schemas['IntegrationSession'];
export type PaginationMeta = Schemas['PaginationMeta'];
export type Success = Schemas['Success'];
/** The body of every error response. Exported as `ApiError` so it does not shadow the global `Error`. */
export type ApiError = Schemas['Error'];
/** The body of a 422 response: a summary and the messages of each invalid field. */
export type ValidationError = Schemas['ValidationError'];
export type Timestamp = Schemas['Timestamp'];

export type MetricComponent = Schemas['MetricComponent'];
export type MetricDimension = Schemas['MetricDimension'];
/** One metric to compute: its `id` keys the result, its `component` decides the result's shape. */
export type MetricRequest = Schemas['MetricRequest'];
export type MetricsDataRequest = Schemas['MetricsDataRequest'];
export type MetricsDataAsyncRequest = Schemas['MetricsDataAsyncRequest'];
export type MetricsAsyncAccepted = Schemas['MetricsAsyncAccepted'];
/** Results keyed by metric `id`, each shaped by its metric's component; see `MetricsResult` for the precise type. */
export type MetricsDataResponse = Schemas['MetricsDataResponse'];
export type NumberResult = Schemas['NumberResult'];
export type ChartResult = Schemas['ChartResult'];
export type DatatableResult = Schemas['DatatableResult'];
export type ComponentResult = Schemas['ComponentResult'];

/** The result shape of one component: `number_v1` -> `NumberResult`, `chart_v1` -> `ChartResult`, and so on. */
export type ResultOfComponent<C extends MetricComponent> = C extends 'number_v1'
  ? NumberResult
  : C extends 'chart_v1'
    ? ChartResult
    : C extends 'datatable_v1'
      ? DatatableResult
      : ComponentResult;

/** What a metric needs for its result to be typed: its `id` and `component`, literal or not. */
export interface MetricKey {
  readonly id: string;
  readonly component: MetricComponent;
}

/**
 * The result of a metrics request, keyed by exactly the requested ids, each typed by its metric's
 * component. With literal ids (an inline array, `as const`, or metrics built by a typed helper) ids
 * that were not requested are not keys; with `string` ids it degrades to an index signature.
 *
 * @example
 * type R = MetricsResult<[{ id: 'reach'; component: 'number_v1' }]>; // { reach: NumberResult }
 */
export type MetricsResult<M extends readonly MetricKey[]> = {
  [Metric in M[number] as Metric['id']]: ResultOfComponent<Metric['component']>;
};

/** Deeply readonly view of a type, so `as const` and inferred literal arrays are accepted as input. */
export type DeepReadonly<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends readonly (infer Item)[]
    ? readonly DeepReadonly<Item>[]
    : T extends object
      ? { readonly [Key in keyof T]: DeepReadonly<T[Key]> }
      : T;
