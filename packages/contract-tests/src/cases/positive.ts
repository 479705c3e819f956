import { accepted, assertExchange } from '../checks.js';
import type { Exchange } from '../exchange.js';
import { Unavailable } from '../fixtures.js';
import { guardDestructive, guardWrites } from '../guards.js';
import type { CaseBuilder } from './case.js';

/** The contract's valid request, sent through the generated client: a documented 2xx that passes every check. */
export const positiveCases: CaseBuilder = (operation, contract) => [
  {
    name: `${operation.id} answers a documented 2xx with conforming JSON and headers, through the client`,
    async run({ validator, fixtures }) {
      guardWrites(operation, fixtures);
      guardDestructive(operation, contract, fixtures);
      const input = await contract.input(fixtures);
      const exchanges: Exchange[] = [];
      let result: unknown;
      let failure: unknown;
      try {
        result = await contract.call(fixtures.clients(exchanges), input);
      } catch (error) {
        if (error instanceof Unavailable) throw error;
        failure = error;
      }
      const exchange = exchanges.at(-1);
      if (!exchange) throw failure ?? new Error(`${operation.id}: the client sent no request`);
      const { verify } = contract;
      assertExchange({ operation, validator, expected: accepted, ...(verify && { semantics: (body) => verify(body, input, validator) }) }, exchange);
      // The response honoured the spec, yet the client failed: a client bug, reported as such.
      if (failure !== undefined) throw failure;
      contract.after?.(result, input, fixtures);
    },
  },
];
