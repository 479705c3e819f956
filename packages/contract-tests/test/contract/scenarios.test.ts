import { inject, it } from 'vitest';
import { Fixtures } from '../../src/fixtures.js';
import { runScenario, ScenarioApi, scenarios, scenariosUnavailable, type ScenarioContext } from '../../src/scenarios/index.js';
import { listOperations, loadBundledSpec } from '../../src/spec.js';
import { SchemaValidator } from '../../src/validator.js';
import './provided.js';

const document = loadBundledSpec();
const operations = listOperations(document);
// The project's globalSetup says what is under test: the sandbox (`sandbox`), or CONNECT_BASE_URL or the mock (`contract`).
const target = inject('target');
const context: ScenarioContext = { operations, validator: new SchemaValidator(document), fixtures: new Fixtures(target, operations), followedLinks: new Set() };
const unavailable = scenariosUnavailable(target);

// A scenario waits for webhooks (at most 2 minutes each) and makes dozens of requests: the limit only turns a hang into a failure.
const SCENARIO_TIMEOUT = 600_000;
const completed = new Set<string>();

// One scenario after another, in this order, each a test: steps that need what the target lacks are
// skipped, each saying why (in the test's annotations); the first failing step fails the test.
for (const scenario of scenarios) {
  it(
    `${scenario.name}: ${scenario.summary}`,
    async ({ skip, annotate }) => {
      if (unavailable) skip(unavailable);
      const outcomes = await runScenario(scenario, new ScenarioApi(context));
      const skipped = outcomes.filter((outcome) => outcome.status === 'skipped');
      for (const { step, note } of skipped) await annotate(`skipped "${step}": ${note}`, 'notice');
      if (skipped.length === 0) completed.add(scenario.name);
    },
    SCENARIO_TIMEOUT,
  );
}

it("the scenarios follow every link of the spec's responses", ({ expect, skip }) => {
  if (unavailable) skip(unavailable);
  if (completed.size < scenarios.length) skip('needs every scenario to have run every step');
  const declared = operations.flatMap((operation) => operation.responses.flatMap((response) => Object.keys(response.links).map((name) => `${operation.id} ${response.status} ${name}`)));
  expect(declared.length).toBeGreaterThan(0);
  expect(declared.filter((link) => !context.followedLinks!.has(link)), 'links no scenario follows').toEqual([]);
});
