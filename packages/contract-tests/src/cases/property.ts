import fc from 'fast-check';
import { arbitraryFor, mutationsOf } from '../arbitrary.js';
import { accepted, assertExchange, rejected } from '../checks.js';
import { credentialHeaders } from '../credentials.js';
import { Unavailable } from '../fixtures.js';
import { guardDestructive, guardWrites, onServer, realRecords, safeBaseline } from '../guards.js';
import type { RequestInput } from '../operations.js';
import { queryConforms, queryOf, querySchema } from '../query.js';
import type { Json, JsonObject, Schema } from '../spec.js';
import { send, type CaseBuilder, type RunContext } from './case.js';

/**
 * fast-check over the request's body and query: every value generated from the schema gets a
 * conforming 2xx, and every value made invalid in one place (at any depth) a documented 4xx.
 */
export const propertyCases: CaseBuilder = (operation, contract, { document, validator }) => {
  const { id: operationId } = operation;
  const inputs: { part: 'body' | 'query'; schema: Schema; conforms(value: Json): boolean }[] = [];
  const body = operation.requestBody;
  if (body) inputs.push({ part: 'body', schema: body.schema as Schema, conforms: (value) => validator.isValid(body.schemaPointer, value) });
  const query = querySchema(operation);
  if (query) inputs.push({ part: 'query', schema: query, conforms: (value) => queryConforms(operation, validator, value as JsonObject) });

  return inputs.flatMap(({ part, schema, conforms }) => {
    const generated = arbitraryFor(document, schema);
    const place = (baseline: RequestInput, value: Json): RequestInput => (part === 'body' ? { ...baseline, body: value } : { ...baseline, query: queryOf(value as JsonObject) });
    const run = async <T>(context: RunContext, property: (baseline: RequestInput, headers: Record<string, string>) => fc.IAsyncProperty<[T]>) => {
      const { fixtures } = context;
      guardWrites(operation, fixtures);
      guardDestructive(operation, contract, fixtures);
      const { runs, seed } = fixtures.config.property;
      if (runs === 0) throw new Unavailable('property cases are off (CONNECT_PROPERTY_RUNS=0)');
      const baseline = await safeBaseline(contract, fixtures);
      const headers = await credentialHeaders(operation, fixtures.token);
      // Shrinking finds the smallest failing input, at the cost of more requests: not on a real server.
      // The report includes the violations of the failing input, not only the input.
      await fc.assert(property(baseline, headers), { numRuns: runs, seed, endOnFailure: onServer(fixtures), includeErrorInReport: true });
    };
    const mutated = generated.chain((value) => {
      // A query is a set of named values, never replaced as a whole.
      const mutations = mutationsOf(document, schema, value).filter((mutation) => !(part === 'query' && mutation.pointer === '') && !conforms(mutation.apply(value)));
      return mutations.length === 0
        ? fc.constant(undefined)
        : fc.constantFrom(...mutations).map((mutation) => ({ value: mutation.apply(value), flaw: `${mutation.pointer || '/'} is ${mutation.change}` }));
    });
    return [
      {
        name: `${operationId} property: every ${part} generated from the schema gets a conforming 2xx`,
        run: (context: RunContext) => {
          if (onServer(context.fixtures) && contract.generatedInputsOnServer) {
            throw new Unavailable(`${operationId} does not get generated inputs on a server: ${contract.generatedInputsOnServer}`);
          }
          if (realRecords(context.fixtures) && contract.generatedInputsLeaveRecords) {
            throw new Unavailable(`${operationId} gets generated inputs only on the mock and disposable servers: ${contract.generatedInputsLeaveRecords}`);
          }
          return run(context, (baseline, headers) =>
            fc.asyncProperty(generated, async (value) => {
              if (!conforms(value)) throw new Error(`The suite generated a ${part} that does not conform to the schema: ${JSON.stringify(value)}; fix src/arbitrary.ts`);
              assertExchange({ operation, validator, expected: accepted }, await send(operation, context.fixtures, place(baseline, value), headers));
            }),
          );
        },
      },
      {
        name: `${operationId} property: every ${part} made invalid in one place gets a documented 4xx`,
        run: (context: RunContext) =>
          run(context, (baseline, headers) =>
            fc.asyncProperty(mutated, async (sample) => {
              fc.pre(sample !== undefined);
              assertExchange({ operation, validator, expected: rejected() }, await send(operation, context.fixtures, place(baseline, sample!.value), headers));
            }),
          ),
      },
    ];
  });
};
