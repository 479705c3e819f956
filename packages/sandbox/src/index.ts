export {
  createSandbox,
  DEFAULT_HOST,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MERCHANT_TOKEN,
  DEFAULT_PORT,
  DEFAULT_RATE_LIMIT,
  DEFAULT_SEED,
  IN_PROCESS_ORIGIN,
  type DemoCustomer,
  type ListenOptions,
  type RunningSandbox,
  type Sandbox,
  type SandboxEnv,
  type SandboxOptions,
  type SandboxWebhooks,
} from './sandbox.js';
export { API_PREFIX, CONTROL_PREFIX, FAULT_HEADER, FAULTS } from './http/respond.js';
export type {
  ControlClock,
  ControlClockInput,
  ControlConnectInput,
  ControlIntegration,
  ControlRequests,
  ControlResetSummary,
  ControlStatusInput,
  ControlWebhookDeliveries,
} from './http/control.js';
export type { RequestRecord } from './runtime.js';
export { ClockError, type SandboxClock } from './clock.js';
export {
  DEFAULT_WEBHOOK_ATTEMPTS,
  DEFAULT_WEBHOOK_DELAY_MS,
  DEFAULT_WEBHOOK_RETRY_DELAY_MS,
  DEFAULT_WEBHOOK_TIMEOUT_MS,
  type WebhookAttempt,
  type WebhookDelivery,
  type WebhookDeliveryStatus,
  type WebhookOptions,
  type WebhookTimers,
} from './webhooks.js';
export { SandboxStateError } from './persistence.js';
export type { IntegrationStatus } from './store.js';
