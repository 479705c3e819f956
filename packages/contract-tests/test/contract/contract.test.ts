import { afterAll, describe, inject, it } from 'vitest';
import { Fixtures, Unavailable } from '../../src/fixtures.js';
import { listOperations, loadBundledSpec } from '../../src/spec.js';
import { planSuite, staleContracts, uncoveredOperations, type RunContext } from '../../src/suite.js';
import { SchemaValidator } from '../../src/validator.js';
import './provided.js';

const document = loadBundledSpec();
const operations = listOperations(document);
const validator = new SchemaValidator(document);
// The project's globalSetup says what is under test: the mock or CONNECT_BASE_URL (`contract`), or a started sandbox (`sandbox`).
const fixtures = new Fixtures(inject('target'), operations);
const context: RunContext = { validator, fixtures };

afterAll(() => fixtures.cleanUp());

it(`the spec's ${operations.length} operations all have contract cases`, ({ expect }) => {
  expect(operations.length).toBeGreaterThan(0);
  expect(uncoveredOperations(operations), 'operations with no entry in src/operations.ts').toEqual([]);
  expect(staleContracts(operations), 'entries of src/operations.ts for operations the spec no longer has').toEqual([]);
});

for (const { operation, contract, cases } of planSuite(operations, { document, validator })) {
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
