export { ConnectResponseTooLargeError } from './body.js';
export { createConnectClient, type ConnectClientOptions } from './client.js';
export {
  ConnectAbortError,
  ConnectConnectionError,
  ConnectError,
  ConnectTimeoutError,
  errorFromResponse,
  retryAfterSeconds,
  type ConnectErrorDetails,
  type RateLimit,
} from './errors.js';
export type { CallEventBase, ConnectEvent, Logger } from './events.js';
export { paginate, type Page } from './paginate.js';
export type { RateLimitOptions, RateLimitStore } from './pacing.js';
export type { CallOptions, RetryOptions } from './transport.js';
export type {
  ConnectClient,
  CustomerClient,
  CustomerOperationId,
  MerchantOperationId,
  MetricInput,
  MetricsMethod,
  NeedsForCustomer,
  OperationId,
  OperationInput,
  OperationMethod,
  OperationOutput,
} from './types.js';
export type * from '@reportei-connect/types';
