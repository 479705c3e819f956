import type { OperationId, OperationOutput } from '@reportei-connect/client';
import { send } from '../cases/case.js';
import { accepted, assertExchange, type Expectation } from '../checks.js';
import { credentialHeaders } from '../credentials.js';
import type { Exchange } from '../exchange.js';
import type { Fixtures } from '../fixtures.js';
import { followLink } from '../links.js';
import { contractFor, type RequestInput } from '../operations.js';
import type { OperationSpec } from '../spec.js';
import type { ResolvedTarget } from '../target.js';
import type { SchemaValidator } from '../validator.js';
import { SandboxControls } from './controls.js';

/** What scenarios run with: the target, the document's operations and validator, and the run's fixtures (which delete what it created). */
export interface ScenarioContext {
  operations: OperationSpec[];
  validator: SchemaValidator;
  fixtures: Fixtures;
  /** Every link followed, as `createCustomer 201 GetCustomer`: the scenarios' tests check that each link of the spec is. */
  followedLinks?: Set<string>;
}

/** A request (its body any JSON value, such as a catalogue metric request), and the customer whose token customer-scoped operations send. */
export interface CallRequest extends Omit<RequestInput, 'body'> {
  body?: unknown;
  customerToken?: string;
}

/** A response that passed every check, its JSON body parsed. */
export interface Reply<Id extends OperationId> {
  operation: OperationSpec;
  request: RequestInput;
  exchange: Exchange;
  status: number;
  /** The body as the spec types a success; for an expected error, its error body. */
  body: OperationOutput<Id>;
}

/** The operations whose lists the scenarios walk page by page. */
type ListOperationId = 'listCustomers' | 'listCustomerIntegrations';
type Item<Id extends ListOperationId> = OperationOutput<Id> extends { data: (infer Record)[] } ? Record : never;

/** A whole list, read page by page at one page size. */
export interface Walk<Id extends ListOperationId> {
  perPage: number;
  pages: Reply<Id>[];
  /** Every record of every page, in order. */
  records: Item<Id>[];
}

/** More pages than this means `last_page` keeps moving: a walk gives up rather than run forever. */
const MAX_PAGES = 1000;

/**
 * What a scenario's steps call the server through. Requests carry the credentials the spec's security
 * schemes describe (the merchant token of the target, and the customer token a step names), and every
 * response goes through the named checks with the step's expectation, so that a scenario holds each
 * response to the spec as the contract cases do. Records created here are deleted by {@link cleanUp}.
 */
export class ScenarioApi {
  readonly controls: SandboxControls;
  private readonly cleanUps: (() => Promise<void>)[] = [];

  constructor(private readonly context: ScenarioContext) {
    this.controls = new SandboxControls(this.config, context.validator);
  }

  get config(): ResolvedTarget {
    return this.context.fixtures.config;
  }

  get validator(): SchemaValidator {
    return this.context.validator;
  }

  operation(operationId: OperationId): OperationSpec {
    const operation = this.context.operations.find((candidate) => candidate.id === operationId);
    if (!operation) throw new Error(`The spec has no operation ${operationId}`);
    return operation;
  }

  /**
   * Sends a request to an operation and holds the response to the spec and to `expected` (a documented
   * 2xx unless told otherwise): throws a ContractViolationError naming each check that fails. A success
   * is then booked as the contract cases book it (a created customer is deleted at the end).
   */
  async call<Id extends OperationId>(operationId: Id, { customerToken, ...sent }: CallRequest = {}, expected: Expectation = accepted): Promise<Reply<Id>> {
    const request = sent as RequestInput;
    const operation = this.operation(operationId);
    const { fixtures, validator } = this.context;
    const headers = await credentialHeaders(operation, async (credential) => {
      if (credential.role === 'merchant') return this.config.merchantToken;
      if (customerToken === undefined) throw new Error(`${operationId} needs a customer token: the step must name one`);
      return customerToken;
    });
    const exchange = await send(operation, fixtures, request, headers);
    const contract = contractFor(operationId);
    const verify = expected.kind === 'accepted' ? contract?.verify : undefined;
    assertExchange({ operation, validator, expected, ...(verify && { semantics: (body) => verify(body, request, validator) }) }, exchange);
    const { status, text } = exchange.response!;
    const body = text === '' ? undefined : (JSON.parse(text) as OperationOutput<Id>);
    if (expected.kind === 'accepted') contract?.after?.(body, request, fixtures);
    return { operation, request, exchange, status, body: body as OperationOutput<Id> };
  }

  /** The request the link `name` of a reply's documented response describes for `to` (see src/links.ts), merged with `more`. */
  follow<From extends OperationId>(reply: Reply<From>, name: string, to: OperationId, more: CallRequest = {}): CallRequest {
    this.context.followedLinks?.add(`${reply.operation.id} ${reply.status} ${name}`);
    const linked = followLink({ operation: reply.operation, request: reply.request, status: reply.status, headers: reply.exchange.response!.headers, body: reply.body }, name, this.operation(to));
    return {
      ...more,
      path: { ...linked.path, ...more.path },
      query: { ...linked.query, ...more.query },
      ...((more.body ?? linked.body) !== undefined && { body: more.body ?? linked.body }),
    };
  }

  /** Every page of a list at one page size, from page 1 to the `last_page` each page reports. */
  async walk<Id extends ListOperationId>(operationId: Id, perPage: number, request: CallRequest = {}): Promise<Walk<Id>> {
    const pages: Reply<Id>[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const reply = await this.call(operationId, { ...request, query: { ...request.query, page, per_page: perPage } });
      pages.push(reply);
      const body = (each: Reply<Id>) => each.body as { data: Item<Id>[]; meta: { last_page: number } };
      if (page >= body(reply).meta.last_page) return { perPage, pages, records: pages.flatMap((each) => body(each).data) };
    }
    throw new Error(`${operationId} still had pages after ${MAX_PAGES} at ${perPage} per page`);
  }

  /** Runs `cleanUp` once the scenario is over, whatever happened: for receivers and the like. */
  onCleanUp(cleanUp: () => Promise<void>): void {
    this.cleanUps.push(cleanUp);
  }

  /** Closes what the scenario opened and deletes the customers it created; answers what went wrong, never throws. */
  async cleanUp(): Promise<string[]> {
    const problems: string[] = [];
    const record = (error: unknown) => void problems.push(error instanceof Error ? error.message : String(error));
    for (const each of this.cleanUps.splice(0).reverse()) await each().catch(record);
    await this.context.fixtures.cleanUp().catch(record);
    return problems;
  }
}
