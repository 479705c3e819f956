import { customerLifecycle, customerTokens, pagination } from './customers.js';
import { customerIntegration, metricsWebhook } from './integrations.js';
import type { Scenario } from './scenario.js';
import { trial } from './trial.js';

export { ScenarioApi, type ScenarioContext } from './api.js';
export { runScenario, ScenarioFailure, scenariosUnavailable, type Scenario, type Step, type StepOutcome } from './scenario.js';

/** Every scenario, in the order they run: one after another, against one server (see README, Scenarios). */
export const scenarios: readonly Scenario<never>[] = [customerLifecycle, customerTokens, pagination, trial, customerIntegration, metricsWebhook];
