import { Unavailable } from '../fixtures.js';
import { SANDBOX_CONTROL_PREFIX, type TargetConfig } from '../target.js';
import { ContractViolationError, formatViolation } from '../violations.js';
import type { ScenarioApi } from './api.js';

/**
 * Stateful scenarios: what a sequence of calls must do, where the contract cases check one call at a
 * time. A scenario is data: a name and a list of named steps, run in order against one server; each
 * step makes its calls through {@link ScenarioApi} (so every response still passes every named check)
 * and keeps what later steps need in the scenario's `state`. The first step that fails ends the
 * scenario; its report says `<scenario> › <step>: <what>`.
 */

/**
 * What a step needs of the target beyond writes: `controls`, the sandbox's control endpoints (clock,
 * integrations, webhook deliveries); `disposable`, records no one relies on (it would disconnect a
 * real network account); `loopback`, a server on this machine (which can POST to a receiver here).
 */
export type Need = 'controls' | 'disposable' | 'loopback';

export interface Step<State> {
  name: string;
  needs?: readonly Need[];
  /** Runs even after a skipped step: it needs nothing the steps before it give. */
  independent?: boolean;
  /**
   * Resolves when the server did what the step expects; throws a {@link StepFailure}, a
   * ContractViolationError (from the checks) or any error when not, or {@link Unavailable} to skip.
   */
  run(api: ScenarioApi, state: State): Promise<void>;
}

export interface Scenario<State extends object = object> {
  /** Lower case, as reports start with it: `customer lifecycle`. */
  name: string;
  /** What it proves, in one line. */
  summary: string;
  steps: readonly Step<State>[];
}

/** A scenario whose steps share a typed `state`. */
export const scenario = <State extends object>(definition: Scenario<State>): Scenario<State> => definition;

/** A step's expectations were not met: one line per problem, each saying expected against actual. */
export class StepFailure extends Error {
  override name = 'StepFailure';
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}

/** Throws a {@link StepFailure} listing `problems`, if there are any. */
export function expectNone(problems: readonly string[]): void {
  if (problems.length > 0) throw new StepFailure(problems);
}

export interface StepOutcome {
  step: string;
  status: 'passed' | 'skipped' | 'failed';
  /** Why a step was skipped. */
  note?: string;
}

/** `a`, `a and b`, `a, b and c`. */
const list = (names: readonly string[]) => (names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`);

/** The lines a step's error reports, each without the `<scenario> › <step>: ` prefix. */
function problemsOf(error: unknown): string[] {
  if (error instanceof StepFailure) return [...error.problems];
  if (error instanceof ContractViolationError) return error.violations.map((violation) => `${formatViolation(violation)}, for ${error.request}`);
  return [error instanceof Error ? `${error.name}: ${error.message}` : String(error)];
}

/** A scenario failed: the message lists every problem of the failing step as `<scenario> › <step>: <what>`. */
export class ScenarioFailure extends Error {
  override name = 'ScenarioFailure';
  /** Every line `<scenario> › <step>: <what>`. */
  readonly lines: string[];
  constructor(
    readonly scenario: string,
    readonly step: string,
    error: unknown,
    readonly outcomes: readonly StepOutcome[],
  ) {
    const lines = problemsOf(error).map((problem) => `${scenario} › ${step}: ${problem}`);
    const passed = outcomes.filter((outcome) => outcome.status === 'passed').map((outcome) => `"${outcome.step}"`);
    super(`${scenario} failed at "${step}"${passed.length ? `, after ${list(passed)}` : ''}\n${lines.map((line) => `  - ${line}`).join('\n')}`, { cause: error });
    this.lines = lines;
  }
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Why scenarios cannot run against the target at all, or undefined when they can. */
export function scenariosUnavailable(config: TargetConfig): string | undefined {
  if (config.kind === 'mock') {
    return 'the Prism mock keeps no state (a customer created there is not there on the next call): scenarios run against the sandbox (`pnpm test`), or a server named by CONNECT_BASE_URL with CONNECT_ALLOW_WRITES=1';
  }
  if (!config.allowWrites) return `scenarios create, change and delete customers: set CONNECT_ALLOW_WRITES=1 to run them against ${config.baseUrl}`;
  return undefined;
}

/** Why the target does not meet a step's need, or undefined when it does. */
export function needUnavailable(need: Need, config: TargetConfig): string | undefined {
  switch (need) {
    case 'controls':
      return config.controlUrl
        ? undefined
        : `needs the sandbox's control endpoints (${SANDBOX_CONTROL_PREFIX}), and the server is not a @reportei-connect/sandbox (set CONNECT_SANDBOX=1 if it is one)`;
    case 'disposable':
      return config.disposable
        ? undefined
        : "would disconnect a network account the server's users rely on: runs only where records are disposable (the sandbox, or CONNECT_SANDBOX=1)";
    case 'loopback': {
      const host = config.baseUrl ? new URL(config.baseUrl).hostname : undefined;
      return host !== undefined && loopbackHosts.has(host)
        ? undefined
        : `the server at ${host ?? '(not started)'} cannot POST to a receiver on this machine's loopback interface: runs against a server on this machine only`;
    }
  }
}

/**
 * Runs a scenario's steps in order: a step whose need the target does not meet, or that throws
 * {@link Unavailable}, is skipped, and so is every later step but the `independent` ones (each saying
 * which step it follows); the first failing step ends the run with a {@link ScenarioFailure}. Whatever happens, the records
 * the scenario created are then deleted and its receivers closed. Resolves with each step's outcome.
 */
export async function runScenario<State extends object>(definition: Scenario<State>, api: ScenarioApi): Promise<StepOutcome[]> {
  const outcomes: StepOutcome[] = [];
  const state = {} as State;
  let failure: ScenarioFailure | undefined;
  let blocking: string | undefined;
  try {
    for (const step of definition.steps) {
      const missing =
        (step.needs ?? []).map((need) => needUnavailable(need, api.config)).find((reason) => reason !== undefined) ??
        (blocking !== undefined && !step.independent ? `follows "${blocking}", which was skipped` : undefined);
      if (missing) {
        if (!step.independent) blocking ??= step.name;
        outcomes.push({ step: step.name, status: 'skipped', note: missing });
        continue;
      }
      try {
        await step.run(api, state);
        outcomes.push({ step: step.name, status: 'passed' });
      } catch (error) {
        if (error instanceof Unavailable) {
          if (!step.independent) blocking ??= step.name;
          outcomes.push({ step: step.name, status: 'skipped', note: error.message });
          continue;
        }
        outcomes.push({ step: step.name, status: 'failed' });
        failure = new ScenarioFailure(definition.name, step.name, error, outcomes);
        break;
      }
    }
  } finally {
    const problems = await api.cleanUp();
    if (!failure && problems.length > 0) failure = new ScenarioFailure(definition.name, 'clean-up', new StepFailure(problems), outcomes);
  }
  if (failure) throw failure;
  return outcomes;
}
