import { randomUUID } from 'node:crypto';
import { replacementsFor, setAt } from '../arbitrary.js';
import { assertExchange, rejected, unauthenticated, type Expectation } from '../checks.js';
import { credentialHeaders, describeCredential } from '../credentials.js';
import type { Fixtures } from '../fixtures.js';
import { guardDestructive, guardWrites, safeBaseline } from '../guards.js';
import type { RequestInput } from '../operations.js';
import { withQuery } from '../query.js';
import { flattenAllOf, pointerOf, responseFor, type Json, type OperationSpec, type Schema } from '../spec.js';
import { send, type CaseBuilder, type ContractCase, type SpecContext } from './case.js';

/** One way of making the contract's valid request wrong, and the answer it must get. */
interface Variant {
  name: string;
  expected: Expectation;
  /** Turns the valid baseline into the request to send. */
  derive(baseline: RequestInput, fixtures: Fixtures): RequestInput;
  /** The security scheme whose credential is left out. */
  without?: string;
  headers?(fixtures: Fixtures): Record<string, string>;
  /** Whether the variant needs the real record, so must not run on a server for a destructive operation. */
  needsRealRecord: boolean;
}

/** 401 without each credential of the operation's security requirement. */
function authVariants(operation: OperationSpec): Variant[] {
  return operation.credentials.map((credential) => ({
    name: `${operation.id} answers 401 without its ${describeCredential(credential)} credential`,
    expected: unauthenticated,
    without: credential.scheme,
    needsRealRecord: false,
    derive: (baseline) => baseline,
  }));
}

/** The body and query flaws that must each get a 422: missing required fields, wrong types, values out of range. */
function validationVariants(operation: OperationSpec, { document, validator }: SpecContext): Variant[] {
  const { id: operationId } = operation;
  const variants: Variant[] = [];
  const body = operation.requestBody;
  if (body) {
    const schema = flattenAllOf(document, body.schema);
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    const flaws = [
      ...((schema.required as string[] | undefined) ?? []).map((name) => ({ name, change: 'missing', value: undefined as Json | undefined })),
      // One wrong type per top-level field; deeper and subtler flaws are the property cases' job.
      ...Object.entries(properties).flatMap(([name, property]) =>
        replacementsFor(document, property)
          .filter((replacement) => replacement.kind === 'type')
          .map(({ change, value }) => ({ name, change, value: value as Json | undefined })),
      ),
    ];
    for (const flaw of flaws) {
      const pointer = pointerOf(flaw.name);
      variants.push({
        name: `${operationId} answers 422 when the body's ${pointer} is ${flaw.change}`,
        expected: rejected(422),
        needsRealRecord: true,
        derive: (baseline) => {
          const mutated = setAt(baseline.body ?? {}, pointer, flaw.value);
          if (validator.isValid(body.schemaPointer, mutated)) throw new Error(`${operationId}: a body whose ${pointer} is ${flaw.change} still conforms to the schema; the suite's flaw is wrong`);
          return { ...baseline, body: mutated };
        },
      });
    }
  }
  for (const parameter of operation.parameters.filter((candidate) => candidate.in === 'query')) {
    const flaws = [
      ...(parameter.required ? [{ change: 'missing', value: undefined as Json | undefined }] : []),
      ...replacementsFor(document, parameter.schema as Schema).filter((replacement) => replacement.kind === 'constraint'),
    ];
    for (const flaw of flaws) {
      variants.push({
        name: `${operationId} answers 422 when the query's ${parameter.name} is ${flaw.change}`,
        expected: rejected(422),
        needsRealRecord: true,
        derive: (baseline) => ({ ...baseline, query: withQuery(baseline.query, parameter.name, flaw.value) }),
      });
    }
  }
  return variants;
}

/** 404 for unknown path ids, where the operation documents a 404 of its own. */
function notFoundVariants(operation: OperationSpec): Variant[] {
  const names = operation.parameters.filter((parameter) => parameter.in === 'path').map((parameter) => parameter.name);
  if (names.length === 0 || responseFor(operation, 404)?.status !== '404') return [];
  return [
    {
      name: `${operation.id} answers 404 for an unknown ${names.join(' and ')}`,
      expected: rejected(404),
      needsRealRecord: false,
      // The mock keeps no state, so it cannot know which uuids exist: ask it for the documented 404.
      headers: (fixtures): Record<string, string> => (fixtures.onMock ? { Prefer: 'code=404' } : {}),
      derive: (baseline, fixtures) => (fixtures.onMock ? baseline : { ...baseline, path: Object.fromEntries(names.map((name) => [name, randomUUID()])) }),
    },
  ];
}

function negativeCase(operation: OperationSpec, contract: Parameters<CaseBuilder>[1], variant: Variant): ContractCase {
  return {
    name: variant.name,
    async run({ validator, fixtures }) {
      guardWrites(operation, fixtures);
      if (variant.needsRealRecord) guardDestructive(operation, contract, fixtures);
      const input = variant.derive(await safeBaseline(contract, fixtures), fixtures);
      const headers = { ...(await credentialHeaders(operation, fixtures.token, variant.without)), ...variant.headers?.(fixtures) };
      assertExchange({ operation, validator, expected: variant.expected }, await send(operation, fixtures, input, headers));
    },
  };
}

/** The contract's valid request made wrong in one way each: a missing credential, a flawed body or query, an unknown id. */
export const negativeCases: CaseBuilder = (operation, contract, spec) =>
  [...authVariants(operation), ...validationVariants(operation, spec), ...notFoundVariants(operation)].map((variant) => negativeCase(operation, contract, variant));
