import type { ContractCase, CaseBuilder, SpecContext } from './cases/case.js';
import { negativeCases } from './cases/negative.js';
import { positiveCases } from './cases/positive.js';
import { propertyCases } from './cases/property.js';
import { contractFor, contracts, type OperationContract } from './operations.js';
import type { OperationSpec } from './spec.js';

export type { ContractCase, RunContext } from './cases/case.js';

/** How each operation's cases are made, in the order they run: see src/cases/. */
const caseBuilders: readonly CaseBuilder[] = [positiveCases, negativeCases, propertyCases];

export interface OperationPlan {
  operation: OperationSpec;
  /** Undefined when the suite has no contract for the operation: the coverage gate fails it. */
  contract: OperationContract | undefined;
  cases: ContractCase[];
}

/** Operations of the spec that have no entry in {@link contracts}: each one fails the suite. */
export function uncoveredOperations(operations: OperationSpec[], known: object = contracts): string[] {
  return operations.map((operation) => operation.id).filter((operationId) => !Object.hasOwn(known, operationId));
}

/** Entries of {@link contracts} for operations the spec no longer has. */
export function staleContracts(operations: OperationSpec[], known: object = contracts): string[] {
  return Object.keys(known).filter((operationId) => !operations.some((operation) => operation.id === operationId));
}

/** Every case of every operation of the spec, in the order of {@link contracts} (the flow's order), then uncovered operations. */
export function planSuite(operations: OperationSpec[], spec: SpecContext): OperationPlan[] {
  const order = Object.keys(contracts);
  const rank = (operation: OperationSpec) => (order.includes(operation.id) ? order.indexOf(operation.id) : order.length);
  return [...operations]
    .sort((a, b) => rank(a) - rank(b))
    .map((operation) => {
      const contract = contractFor(operation.id);
      return { operation, contract, cases: contract ? caseBuilders.flatMap((build) => build(operation, contract, spec)) : [] };
    });
}
