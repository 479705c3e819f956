import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { arbitraryFor, mutationsOf, replacementsFor, setAt } from './arbitrary.js';
import { assertExchange, type ExpectedStatus } from './check.js';
import { sendRaw, type Exchange } from './exchange.js';
import { Unavailable, type Fixtures } from './fixtures.js';
import { contracts, type OperationContract, type RequestInput } from './operations.js';
import { documentedResponse, flattenAllOf, pointerOf, type Credential, type Json, type JsonObject, type OpenApiDocument, type OperationSpec, type Schema } from './spec.js';
import type { SchemaValidator } from './validator.js';

export interface RunContext {
  validator: SchemaValidator;
  fixtures: Fixtures;
}

export interface ContractCase {
  /** Always contains the operationId, so that any report names the operation. */
  name: string;
  /** Resolves when the server honoured the contract; throws a ContractViolationError when not, or {@link Unavailable} to skip. */
  run(context: RunContext): Promise<void>;
}

export interface OperationPlan {
  operation: OperationSpec;
  /** Undefined when the suite has no contract for the operation: the coverage gate fails it. */
  contract: OperationContract | undefined;
  cases: ContractCase[];
}

/** Operations of the spec that have no entry in {@link contracts}: each one fails the suite. */
export function uncoveredOperations(operations: OperationSpec[], known: Record<string, unknown> = contracts): string[] {
  return operations.map((operation) => operation.id).filter((operationId) => !(operationId in known));
}

async function credentials(operation: OperationSpec, fixtures: Fixtures, without?: Credential['role']): Promise<Record<string, string>> {
  const headers: Record<string, string> = {};
  for (const credential of operation.credentials) {
    if (credential.role === without) continue;
    const token = credential.role === 'merchant' ? fixtures.config.merchantToken : await fixtures.customerToken();
    headers[credential.header] = credential.format(token);
  }
  return headers;
}

/** How a credential's header is written in case names: `Authorization`, `x-customer-token` (as the spec spells it). */
const headerName = (credential: Credential) => (credential.role === 'merchant' ? 'Authorization' : credential.header);

const onServer = (fixtures: Fixtures) => !fixtures.onMock;

/** Against a server, nothing reaches an operation that changes state unless writes are allowed. */
function guardWrites(operation: OperationSpec, fixtures: Fixtures): void {
  if (onServer(fixtures) && operation.changesState && !fixtures.config.allowWrites) {
    throw new Unavailable(
      `${operation.id} changes state on the server (${operation.method}, not marked x-changes-state: false): set CONNECT_ALLOW_WRITES=1 to test it on a server (the run creates a customer, uses it and deletes it)`,
    );
  }
}

/**
 * Against a server, an operation whose real call is forbidden gets only its 401 and 404 cases, with
 * random uuids in its path: even a server that wrongly ignored a missing token could not reach the
 * real record. Its 422 and property cases would need the real record, so they do not run there.
 */
function guardDestructive(operation: OperationSpec, contract: OperationContract, fixtures: Fixtures): void {
  if (onServer(fixtures) && contract.positiveOnServer) {
    throw new Unavailable(`on a server ${operation.id} only gets its 401 and 404 cases, with random uuids: ${contract.positiveOnServer}`);
  }
}

async function baselineOf(contract: OperationContract, fixtures: Fixtures): Promise<RequestInput> {
  const input = await contract.input(fixtures);
  if (!onServer(fixtures) || !contract.positiveOnServer) return input;
  return { ...input, path: Object.fromEntries(Object.keys(input.path ?? {}).map((name) => [name, randomUUID()])) };
}

function send(operation: OperationSpec, fixtures: Fixtures, input: RequestInput, headers: Record<string, string>): Promise<Exchange> {
  return sendRaw({ baseUrl: fixtures.config.baseUrl, method: operation.method, path: operation.path, pathParams: input.path, query: input.query, headers, body: input.body });
}

function positiveCase(operation: OperationSpec, contract: OperationContract): ContractCase {
  const { id: operationId } = operation;
  return {
    name: `${operationId} answers a documented 2xx with conforming JSON and headers, through the client`,
    async run({ validator, fixtures }) {
      guardWrites(operation, fixtures);
      if (onServer(fixtures) && contract.positiveOnServer) throw new Unavailable(`${operationId} is never called for real on a server: ${contract.positiveOnServer}`);
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
      if (!exchange) throw failure ?? new Error(`${operationId}: the client sent no request`);
      const status = exchange.response?.status;
      const extra = failure === undefined && contract.verify ? contract.verify(result, input) : [];
      assertExchange(validator, operation, exchange, 'success', extra.map((problem) => ({ operationId, status, ...problem, pointer: `/body${problem.pointer}` })));
      // The response honoured the spec, yet the client failed: a client bug, reported as such.
      if (failure !== undefined) throw failure;
      contract.after?.(result, input, fixtures);
    },
  };
}

interface Variant {
  name: string;
  expected: ExpectedStatus;
  /** Turns the valid baseline into the request to send. */
  derive(baseline: RequestInput, fixtures: Fixtures): RequestInput;
  /** A credential to leave out. */
  without?: Credential['role'];
  headers?(fixtures: Fixtures): Record<string, string>;
  /** Whether the variant needs the real record, so must not run on a server for a destructive operation. */
  needsRealRecord: boolean;
}

function negativeCase(operation: OperationSpec, contract: OperationContract, variant: Variant): ContractCase {
  return {
    name: variant.name,
    async run({ validator, fixtures }) {
      guardWrites(operation, fixtures);
      if (variant.needsRealRecord) guardDestructive(operation, contract, fixtures);
      const input = variant.derive(await baselineOf(contract, fixtures), fixtures);
      const headers = { ...(await credentials(operation, fixtures, variant.without)), ...variant.headers?.(fixtures) };
      assertExchange(validator, operation, await send(operation, fixtures, input, headers), variant.expected);
    },
  };
}

/** The body and query flaws that must each get a 422: missing required fields, wrong types, values out of range. */
function validationVariants(operation: OperationSpec, document: OpenApiDocument, validator: SchemaValidator): Variant[] {
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
        expected: [422],
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
      ...replacementsFor(document, parameter.schema).filter((replacement) => replacement.kind === 'constraint'),
    ];
    for (const flaw of flaws) {
      variants.push({
        name: `${operationId} answers 422 when the query's ${parameter.name} is ${flaw.change}`,
        expected: [422],
        needsRealRecord: true,
        derive: (baseline) => ({ ...baseline, query: withQuery(baseline.query, parameter.name, flaw.value) }),
      });
    }
  }
  return variants;
}

/** How a JSON value travels in a query string. */
const asQueryText = (value: Json): string => (typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value));

function withQuery(query: RequestInput['query'], name: string, value: Json | undefined): NonNullable<RequestInput['query']> {
  const copy = { ...query };
  if (value === undefined) delete copy[name];
  else copy[name] = asQueryText(value);
  return copy;
}

function negativeCases(operation: OperationSpec, contract: OperationContract, document: OpenApiDocument, validator: SchemaValidator): ContractCase[] {
  const { id: operationId } = operation;
  const variants: Variant[] = operation.credentials.map((credential) => ({
    name: `${operationId} answers 401 without the ${headerName(credential)} header`,
    expected: [401],
    without: credential.role,
    needsRealRecord: false,
    derive: (baseline) => baseline,
  }));
  variants.push(...validationVariants(operation, document, validator));
  const pathParameters = operation.parameters.filter((parameter) => parameter.in === 'path');
  if (pathParameters.length > 0 && documentedResponse(operation, 404)?.status === '404') {
    const names = pathParameters.map((parameter) => parameter.name);
    variants.push({
      name: `${operationId} answers 404 for an unknown ${names.join(' and ')}`,
      expected: [404],
      needsRealRecord: false,
      // The mock keeps no state, so it cannot know which uuids exist: ask it for the documented 404.
      headers: (fixtures): Record<string, string> => (fixtures.onMock ? { Prefer: 'code=404' } : {}),
      derive: (baseline, fixtures) => (fixtures.onMock ? baseline : { ...baseline, path: Object.fromEntries(names.map((name) => [name, randomUUID()])) }),
    });
  }
  return variants.map((variant) => negativeCase(operation, contract, variant));
}

/** The query parameters as one object schema, so that the body machinery generates and mutates them too. */
function querySchema(operation: OperationSpec): Schema | undefined {
  const parameters = operation.parameters.filter((parameter) => parameter.in === 'query');
  if (parameters.length === 0) return undefined;
  return {
    type: 'object',
    properties: Object.fromEntries(parameters.map((parameter) => [parameter.name, parameter.schema])),
    required: parameters.filter((parameter) => parameter.required).map((parameter) => parameter.name),
  };
}

/** Query values travel as text: judge a generated or mutated query the way a server reads it. */
function queryConforms(operation: OperationSpec, validator: SchemaValidator, query: Record<string, Json>): boolean {
  return operation.parameters
    .filter((parameter) => parameter.in === 'query')
    .every((parameter) => {
      const value = query[parameter.name];
      if (value === undefined) return !parameter.required;
      return parameter.schemaPointer === undefined || validator.validateText(parameter.schemaPointer, asQueryText(value)).length === 0;
    });
}

function propertyCases(operation: OperationSpec, contract: OperationContract, document: OpenApiDocument, validator: SchemaValidator): ContractCase[] {
  const { id: operationId } = operation;
  const cases: ContractCase[] = [];
  const inputs: { part: 'body' | 'query'; schema: Schema; conforms(value: Json): boolean }[] = [];
  const body = operation.requestBody;
  if (body) inputs.push({ part: 'body', schema: body.schema, conforms: (value) => validator.isValid(body.schemaPointer, value) });
  const query = querySchema(operation);
  if (query) inputs.push({ part: 'query', schema: query, conforms: (value) => queryConforms(operation, validator, value as Record<string, Json>) });

  for (const { part, schema, conforms } of inputs) {
    const generated = arbitraryFor(document, schema);
    const place = (baseline: RequestInput, value: Json): RequestInput =>
      part === 'body' ? { ...baseline, body: value } : { ...baseline, query: Object.fromEntries(Object.entries(value as JsonObject).map(([name, item]) => [name, asQueryText(item)])) };
    const run = async <T>(context: RunContext, property: (baseline: RequestInput, headers: Record<string, string>) => fc.IAsyncProperty<[T]>) => {
      const { fixtures } = context;
      guardWrites(operation, fixtures);
      guardDestructive(operation, contract, fixtures);
      const { runs, seed } = fixtures.config.property;
      if (runs === 0) throw new Unavailable('property cases are off (CONNECT_PROPERTY_RUNS=0)');
      const baseline = await baselineOf(contract, fixtures);
      const headers = await credentials(operation, fixtures);
      // Shrinking finds the smallest failing input, at the cost of more requests: not on a real server.
      await fc.assert(property(baseline, headers), { numRuns: runs, seed, endOnFailure: onServer(fixtures) });
    };
    cases.push({
      name: `${operationId} property: every ${part} generated from the schema gets a conforming 2xx`,
      run: (context) => {
        if (onServer(context.fixtures) && contract.generatedInputsOnServer) {
          throw new Unavailable(`${operationId} does not get generated inputs on a server: ${contract.generatedInputsOnServer}`);
        }
        return run(context, (baseline, headers) =>
          fc.asyncProperty(generated, async (value) => {
            if (!conforms(value)) throw new Error(`The suite generated a ${part} that does not conform to the schema: ${JSON.stringify(value)}; fix src/arbitrary.ts`);
            assertExchange(context.validator, operation, await send(operation, context.fixtures, place(baseline, value), headers), 'success');
          }),
        );
      },
    });
    const mutated = generated.chain((value) => {
      // A query is a set of named values, never replaced as a whole.
      const mutations = mutationsOf(document, schema, value).filter((mutation) => !(part === 'query' && mutation.pointer === '') && !conforms(mutation.apply(value)));
      return mutations.length === 0
        ? fc.constant(undefined)
        : fc.constantFrom(...mutations).map((mutation) => ({ [part]: mutation.apply(value), flaw: `${mutation.pointer || '/'} is ${mutation.change}` }));
    });
    cases.push({
      name: `${operationId} property: every ${part} made invalid in one place gets a documented 4xx`,
      run: (context) =>
        run(context, (baseline, headers) =>
          fc.asyncProperty(mutated, async (sample) => {
            fc.pre(sample !== undefined);
            assertExchange(context.validator, operation, await send(operation, context.fixtures, place(baseline, sample![part] as Json), headers), 'client error');
          }),
        ),
    });
  }
  return cases;
}

/** Every case of every operation of the spec, in the order of {@link contracts} (the flow's order), then uncovered operations. */
export function planSuite(document: OpenApiDocument, operations: OperationSpec[], validator: SchemaValidator): OperationPlan[] {
  const order = Object.keys(contracts);
  const rank = (operation: OperationSpec) => (order.includes(operation.id) ? order.indexOf(operation.id) : order.length);
  return [...operations]
    .sort((a, b) => rank(a) - rank(b))
    .map((operation) => {
      const contract = contracts[operation.id];
      if (!contract) return { operation, contract, cases: [] };
      return {
        operation,
        contract,
        cases: [positiveCase(operation, contract), ...negativeCases(operation, contract, document, validator), ...propertyCases(operation, contract, document, validator)],
      };
    });
}
