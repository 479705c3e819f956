import { afterAll, describe, inject, it } from 'vitest';
import { Fixtures, Unavailable } from '../../src/fixtures.js';
import { contracts } from '../../src/operations.js';
import { listOperations, loadBundledSpec } from '../../src/spec.js';
import { planSuite, uncoveredOperations, type RunContext } from '../../src/suite.js';
import { targetFromEnv } from '../../src/target.js';
import { SchemaValidator } from '../../src/validator.js';

const document = loadBundledSpec();
const operations = listOperations(document);
const validator = new SchemaValidator(document);
const config = targetFromEnv();
const fixtures = new Fixtures({ ...config, baseUrl: inject('targetBaseUrl') }, operations);
const context: RunContext = { validator, fixtures };

afterAll(() => fixtures.cleanUp());

it(`the spec's ${operations.length} operations all have contract cases`, ({ expect }) => {
  expect(operations.length).toBeGreaterThan(0);
  expect(uncoveredOperations(operations), 'operations with no entry in src/operations.ts').toEqual([]);
  expect(Object.keys(contracts).filter((operationId) => !operations.some((operation) => operation.id === operationId)), 'entries of src/operations.ts for operations the spec no longer has').toEqual([]);
});

for (const { operation, contract, cases } of planSuite(document, operations, validator)) {
  describe(operation.id, () => {
    if (!contract) {
      // The coverage gate: a new operation fails the suite until it gets a contract.
      it(`${operation.id} has a contract case`, () => {
        throw new Error(`${operation.id} (${operation.method} ${operation.path}) has no contract: add an entry to src/operations.ts`);
      });
      return;
    }
    for (const contractCase of cases) {
      it(contractCase.name, async ({ skip }) => {
        try {
          await contractCase.run(context);
        } catch (error) {
          if (error instanceof Unavailable) skip(error.message);
          throw error;
        }
      });
    }
  });
}
