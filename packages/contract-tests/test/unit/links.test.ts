import { describe, expect, it } from 'vitest';
import { evaluateExpression, followLink, LinkError, type LinkSource } from '../../src/links.js';
import { listOperations, loadBundledSpec, responseFor, type OpenApiDocument } from '../../src/spec.js';
import { SchemaValidator } from '../../src/validator.js';

const document = loadBundledSpec();
const operations = listOperations(document);
const byId = (operations: ReturnType<typeof listOperations>, operationId: string) => operations.find((operation) => operation.id === operationId)!;

const customer = { uuid: 'caedbbbe-7d93-476f-b965-bf97cd7ce874', name: 'Acme', created_at: '2024-09-24 17:07:34', updated_at: '2024-09-24 17:07:34', api_token: 'secret' };
const created = (body: unknown, from = operations): LinkSource => ({
  operation: byId(from, 'createCustomer'),
  request: { body: { name: 'Acme' } },
  status: 201,
  headers: new Headers({ 'x-ratelimit-remaining': '59' }),
  body,
});

describe('evaluateExpression', () => {
  it('reads the runtime expressions of OpenAPI from an exchange, with JSON pointers into the bodies', () => {
    const source = created({ customer });
    expect(evaluateExpression('$response.body#/customer/uuid', source)).toBe(customer.uuid);
    expect(evaluateExpression('$response.body', source)).toEqual({ customer });
    expect(evaluateExpression('$request.body#/name', source)).toBe('Acme');
    expect(evaluateExpression('$response.header.X-RateLimit-Remaining', source)).toBe('59');
    expect(evaluateExpression('$statusCode', source)).toBe(201);
    expect(evaluateExpression('$method', source)).toBe('POST');
    expect(evaluateExpression('$response.body#/customer/id', source)).toBeUndefined();
    expect(evaluateExpression('a constant', source)).toBe('a constant');
    expect(() => evaluateExpression('$request.cookie.session', source)).toThrow(LinkError);
  });
});

describe('followLink', () => {
  it("takes the new customer's uuid through createCustomer's links, into the path of each linked operation", () => {
    for (const [link, to] of [['GetCustomer', 'getCustomer'], ['UpdateCustomer', 'updateCustomer'], ['UpdateCustomerPaymentStatus', 'updateCustomerPaymentStatus'], ['DeleteCustomer', 'deleteCustomer']] as const) {
      expect(followLink(created({ customer }), link, byId(operations, to))).toEqual({ path: { uuid: customer.uuid } });
    }
  });

  it("puts a session's uuid in deleteCustomerIntegration's query, as its session_id", () => {
    const session = { session_uuid: '0b6b1b8e-9f1e-4a4e-8f7e-1d0c3b2a1f00', session_link: 'https://connect.reportei.com/x', expires_at: '2024-09-24T17:12:34Z' };
    const source: LinkSource = { operation: byId(operations, 'createIntegrationSession'), request: {}, status: 200, headers: new Headers(), body: { integration_session: session } };
    expect(followLink(source, 'DeleteCustomerIntegration', byId(operations, 'deleteCustomerIntegration'))).toEqual({ query: { session_id: session.session_uuid } });
  });

  it('fails, naming the link and its expression, when the response has no value where the link points: a field renamed in the schema but not in the link', () => {
    // The spec renames the customer's uuid to id, and forgets its links: a conforming response no longer feeds them.
    const renamed = structuredClone(document) as OpenApiDocument & { components: { schemas: Record<string, { required: string[]; properties: Record<string, unknown> }> } };
    const schema = renamed.components.schemas.Customer!;
    schema.properties.id = schema.properties.uuid;
    delete schema.properties.uuid;
    schema.required = schema.required.map((name) => (name === 'uuid' ? 'id' : name));
    const { uuid: id, ...rest } = customer;
    const from = listOperations(renamed);
    const body = { customer: { id, ...rest } };
    const schemaPointer = responseFor(byId(from, 'createCustomer'), 201)!.schemaPointer!;
    expect(new SchemaValidator(renamed).validate(schemaPointer, body), 'the response conforms to the renamed schema').toEqual([]);
    expect(() => followLink(created(body, from), 'GetCustomer', byId(from, 'getCustomer'))).toThrow(
      new LinkError("createCustomer 201 link GetCustomer: $response.body#/customer/uuid is nothing in the response, not a value for getCustomer's uuid"),
    );
  });

  it('fails when the response declares no such link, or the link leads to another operation', () => {
    expect(() => followLink(created({ customer }), 'ShowCustomer', byId(operations, 'getCustomer'))).toThrow(
      'createCustomer 201 declares no link ShowCustomer (it declares GetCustomer, UpdateCustomer, UpdateCustomerPaymentStatus, DeleteCustomer)',
    );
    expect(() => followLink(created({ customer }), 'GetCustomer', byId(operations, 'deleteCustomer'))).toThrow('createCustomer 201 link GetCustomer leads to getCustomer, not deleteCustomer');
    expect(() => followLink({ ...created({ customer }), status: 422 }, 'GetCustomer', byId(operations, 'getCustomer'))).toThrow('createCustomer 422 declares no link GetCustomer (it declares none)');
  });
});
