import { describe, expect, it } from 'vitest';
import { Unavailable } from '../../src/fixtures.js';
import { runScenario, ScenarioFailure, scenarios, scenariosUnavailable, type Scenario, type StepOutcome } from '../../src/scenarios/index.js';
import type { ScenarioApi } from '../../src/scenarios/api.js';
import { expectNone, needUnavailable, scenario } from '../../src/scenarios/scenario.js';
import { targetFromEnv, type ResolvedTarget } from '../../src/target.js';
import { ContractViolationError } from '../../src/violations.js';

const server = (env: Record<string, string> = {}): ResolvedTarget => {
  const config = targetFromEnv({ CONNECT_BASE_URL: 'http://127.0.0.1:4011/api', CONNECT_TOKEN: 't', CONNECT_ALLOW_WRITES: '1', ...env });
  return { ...config, baseUrl: config.baseUrl! };
};

/** Just enough of a ScenarioApi for the runner: the target, and a clean-up that says it ran. */
function fakeApi(config: ResolvedTarget, cleanUpProblems: string[] = []) {
  const api = { config, cleanedUp: false, cleanUp: async () => ((api.cleanedUp = true), cleanUpProblems) };
  return api as typeof api & ScenarioApi;
}

const outcome = (steps: StepOutcome[]) => steps.map(({ step, status, note }) => `${step}: ${status}${note ? ` (${note})` : ''}`);

async function failureOf(definition: Scenario<never>, api = fakeApi(server())): Promise<ScenarioFailure> {
  const error = await runScenario(definition, api).catch((thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(ScenarioFailure);
  return error as ScenarioFailure;
}

describe('runScenario', () => {
  it('runs the steps in order, sharing their state, and cleans up', async () => {
    const seen: string[] = [];
    const api = fakeApi(server());
    const definition = scenario<{ value: number }>({
      name: 'counting',
      summary: 'one then two',
      steps: [
        { name: 'one', run: async (_api, state) => void (state.value = 1) },
        { name: 'two', run: async (_api, state) => void seen.push(`value ${state.value}`) },
      ],
    });
    expect(outcome(await runScenario(definition, api))).toEqual(['one: passed', 'two: passed']);
    expect(seen).toEqual(['value 1']);
    expect(api.cleanedUp).toBe(true);
  });

  it('skips a step whose need the target lacks, saying why, and the steps after it but the independent ones', async () => {
    const definition = scenario({
      name: 'clockwork',
      summary: '',
      steps: [
        { name: 'before', run: async () => {} },
        { name: 'move the clock', needs: ['controls'], run: async () => expect.unreachable() },
        { name: 'after', run: async () => expect.unreachable() },
        { name: 'unrelated', independent: true, run: async () => {} },
      ],
    });
    expect(outcome(await runScenario(definition, fakeApi(server())))).toEqual([
      'before: passed',
      "move the clock: skipped (needs the sandbox's control endpoints (/__sandbox), and the server is not a @reportei-connect/sandbox (set CONNECT_SANDBOX=1 if it is one))",
      'after: skipped (follows "move the clock", which was skipped)',
      'unrelated: passed',
    ]);
    // On a sandbox, the step runs.
    expect((await failureOf(definition, fakeApi(server({ CONNECT_SANDBOX: '1' })))).step).toBe('move the clock');
  });

  it('skips a step that throws Unavailable, with its reason', async () => {
    const definition = scenario({ name: 'needy', summary: '', steps: [{ name: 'needs a token', run: async () => Promise.reject(new Unavailable('needs CONNECT_CUSTOMER_TOKEN')) }] });
    expect(outcome(await runScenario(definition, fakeApi(server())))).toEqual(['needs a token: skipped (needs CONNECT_CUSTOMER_TOKEN)']);
  });

  it('stops at the first failing step, reporting each problem as <scenario> › <step>: <what>, after the steps that passed, and still cleans up', async () => {
    const api = fakeApi(server());
    const violation = { operationId: 'getCustomer', status: 200, pointer: '/status', expected: '404', actual: '200', check: 'negative_data_rejection' };
    const failure = await failureOf(
      scenario({
        name: 'lifecycle',
        summary: '',
        steps: [
          { name: 'create', run: async () => {} },
          { name: 'read after delete', run: async () => Promise.reject(new ContractViolationError([violation], 'GET /customers/x')) },
          { name: 'never', run: async () => expect.unreachable() },
        ],
      }),
      api,
    );
    expect(failure.message).toBe(
      [
        'lifecycle failed at "read after delete", after "create"',
        '  - lifecycle › read after delete: getCustomer 200 /status: expected 404, got 200 [negative_data_rejection], for GET /customers/x',
      ].join('\n'),
    );
    expect(outcome([...failure.outcomes])).toEqual(['create: passed', 'read after delete: failed']);
    expect(api.cleanedUp).toBe(true);
  });

  it("reports a step's own expectations, one line each, and any other error by its name and message", async () => {
    const failure = await failureOf(scenario({ name: 'pages', summary: '', steps: [{ name: 'walk', run: async () => expectNone(['customer a is listed 2 times', 'customer b is not listed']) }] }));
    expect(failure.lines).toEqual(['pages › walk: customer a is listed 2 times', 'pages › walk: customer b is not listed']);
    const crash = await failureOf(scenario({ name: 'pages', summary: '', steps: [{ name: 'walk', run: async () => Promise.reject(new TypeError('x is undefined')) }] }));
    expect(crash.lines).toEqual(['pages › walk: TypeError: x is undefined']);
  });

  it('fails a scenario whose clean-up fails, at the step "clean-up"', async () => {
    const failure = await failureOf(scenario({ name: 'tidy', summary: '', steps: [{ name: 'create', run: async () => {} }] }), fakeApi(server(), ['deleteCustomer answered 500']));
    expect(failure.lines).toEqual(['tidy › clean-up: deleteCustomer answered 500']);
  });
});

describe('where scenarios run', () => {
  it('not on the mock, which keeps no state, nor on a server without writes, saying why', () => {
    expect(scenariosUnavailable(targetFromEnv({}))).toMatch(/^the Prism mock keeps no state/);
    expect(scenariosUnavailable(server({ CONNECT_ALLOW_WRITES: '0' }))).toBe('scenarios create, change and delete customers: set CONNECT_ALLOW_WRITES=1 to run them against http://127.0.0.1:4011/api');
    expect(scenariosUnavailable(server())).toBeUndefined();
  });

  it("meets a step's needs: control endpoints and disposable records on a sandbox, a receiver on this machine for a loopback server", () => {
    expect(needUnavailable('controls', server({ CONNECT_SANDBOX: '1' }))).toBeUndefined();
    expect(needUnavailable('disposable', server({ CONNECT_SANDBOX: '1' }))).toBeUndefined();
    expect(needUnavailable('disposable', server())).toMatch(/runs only where records are disposable/);
    expect(needUnavailable('loopback', server())).toBeUndefined();
    expect(needUnavailable('loopback', { ...server(), baseUrl: 'https://connect.reportei.com/api' })).toBe(
      "the server at connect.reportei.com cannot POST to a receiver on this machine's loopback interface: runs against a server on this machine only",
    );
  });
});

describe('the scenarios', () => {
  it('are the six of issue 13, each with uniquely named steps', () => {
    expect(scenarios.map((each) => each.name)).toEqual(['customer lifecycle', 'customer tokens', 'pagination', 'trial', 'customer integration', 'metrics webhook']);
    for (const each of scenarios) expect(new Set(each.steps.map((step) => step.name)).size, each.name).toBe(each.steps.length);
  });
});
