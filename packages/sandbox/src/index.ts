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
  type SandboxOptions,
} from './sandbox.js';
export { API_PREFIX, CONTROL_PREFIX, FAULT_HEADER, FAULTS, type RequestRecord } from './app.js';
export { ClockError, type SandboxClock } from './clock.js';
export type { WebhookJob } from './outbox.js';
export { SandboxStateError } from './persistence.js';
export type { IntegrationStatus } from './store.js';
