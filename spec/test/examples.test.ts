import { describe, expect, it } from 'vitest';
import { followRefs, pointerOf } from '../lib/refs.js';
import { bundled, createValidator, payloadEntries, type Json, type JsonObject } from './load.js';

const validatorFor = createValidator();
/** The object at `pointer`, its `$ref`s followed, and the pointer it really lives at. */
const follow = (pointer: string) => followRefs(bundled, pointer);

interface Example {
  where: string;
  operationId: string;
  name: string;
  schemaPointer: string;
  value: Json;
}

/** Every example attached to a media type, parameter or header of an operation (callbacks included). */
function examplesOf(operation: JsonObject, pointer: string, pathItem?: JsonObject, pathItemPointer?: string): Example[] {
  const operationId = operation.operationId as string;
  const found: Example[] = [];
  const collect = (holder: JsonObject, holderPointer: string, where: string) => {
    if ('example' in holder) found.push({ where, operationId, name: '(inline)', schemaPointer: `${holderPointer}/schema`, value: holder.example as Json });
    for (const name of Object.keys((holder.examples as JsonObject) ?? {})) {
      found.push({ where, operationId, name, schemaPointer: `${holderPointer}/schema`, value: follow(`${holderPointer}/examples${pointerOf(name)}`).node.value as Json });
    }
  };
  const media = (content: Json | undefined, contentPointer: string, where: string) => {
    for (const [type, entry] of Object.entries((content as JsonObject) ?? {})) collect(entry as JsonObject, `${contentPointer}${pointerOf(type)}`, where);
  };
  const parameters = [
    ...((pathItem?.parameters as Json[]) ?? []).map((_, i) => follow(`${pathItemPointer}/parameters/${i}`)),
    ...((operation.parameters as Json[]) ?? []).map((_, i) => follow(`${pointer}/parameters/${i}`)),
  ];
  for (const parameter of parameters) collect(parameter.node, parameter.pointer, `parameter ${parameter.node.name as string}`);
  if (operation.requestBody) {
    const body = follow(`${pointer}/requestBody`);
    media(body.node.content, `${body.pointer}/content`, 'request body');
  }
  for (const status of Object.keys(operation.responses as JsonObject)) {
    const resolved = follow(`${pointer}/responses${pointerOf(status)}`);
    media(resolved.node.content, `${resolved.pointer}/content`, `${status} response`);
    for (const header of Object.keys((resolved.node.headers as JsonObject) ?? {})) {
      const headerAt = follow(`${resolved.pointer}/headers${pointerOf(header)}`);
      collect(headerAt.node, headerAt.pointer, `${status} header ${header}`);
    }
  }
  for (const [callbackName, callback] of Object.entries((operation.callbacks as JsonObject) ?? {})) {
    for (const [expression, item] of Object.entries(callback as JsonObject)) {
      const itemPointer = `${pointer}/callbacks${pointerOf(callbackName, expression)}`;
      for (const [method, inner] of Object.entries(item as JsonObject)) found.push(...examplesOf(inner as JsonObject, `${itemPointer}/${method}`));
    }
  }
  return found;
}

const allExamples = Object.entries(bundled.paths as JsonObject).flatMap(([path, item]) =>
  Object.entries(item as JsonObject)
    .filter(([method]) => ['get', 'put', 'post', 'delete'].includes(method))
    .flatMap(([method, operation]) => examplesOf(operation as JsonObject, pointerOf('paths', path, method), item as JsonObject, pointerOf('paths', path))),
);

describe('examples', () => {
  it.each(allExamples.map((e) => [`${e.operationId} ${e.where} ${e.name}`, e] as const))('%s validates against its schema', (_, example) => {
    expect(validatorFor(example.schemaPointer)(example.value)).toEqual([]);
  });

  it.each(Object.entries((bundled.components as JsonObject).schemas as JsonObject).filter(([, s]) => Array.isArray((s as JsonObject).examples)))(
    'schema %s validates its own examples',
    (name, schema) => {
      for (const value of (schema as JsonObject).examples as Json[]) expect(validatorFor(`/components/schemas/${name}`)(value)).toEqual([]);
    },
  );

  /** The examples of the upstream documentation, by the operation they belong to. */
  const documented: Record<string, string[]> = {
    getMerchantSettings: ['MerchantSettings', 'InvalidCustomerToken'],
    listCustomers: ['CustomerPage', 'CustomerPageShort'],
    createCustomer: ['CreateCustomer', 'CreatedCustomer'],
    getCustomerSettings: ['CustomerSettings'],
    getCustomer: ['Customer', 'CustomerWithoutTrial'],
    updateCustomer: ['RenameCustomer'],
    deleteCustomer: ['RecordRemoved'],
    updateCustomerPaymentStatus: ['MarkAsPaying', 'MarkedAsPaying'],
    createIntegrationSession: ['CreateIntegrationSession', 'IntegrationSession'],
    getCustomerIntegration: ['CustomerIntegration'],
    deleteCustomerIntegration: ['RecordRemoved'],
    getMetricsData: ['MetricsThreeComponents', 'MetricsThreeResults'],
    getMetricsDataAsync: ['MetricsThreeComponentsAsync'],
  };
  it.each(Object.entries(documented))('%s carries the documentation examples by name', (operationId, names) => {
    const carried = allExamples.filter((e) => e.operationId === operationId).map((e) => e.name);
    expect(carried).toEqual(expect.arrayContaining(names));
  });

  it('rejects an example that breaks its schema (the check can fail)', () => {
    const validate = validatorFor('/components/schemas/Customer');
    expect(validate({ uuid: 'not-a-uuid', name: 'x', created_at: '2024-09-24T17:07:34Z', updated_at: '2024-09-24 17:07:34' })).toEqual([
      '/uuid must match format "uuid"',
      '/created_at must match pattern "^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}$"',
    ]);
  });
});

describe('metric payload catalogue', () => {
  const entries = payloadEntries();
  const validateBody = validatorFor('/components/schemas/MetricsDataRequest');

  it('holds the 1,668 entries of the 27 integrations', () => {
    expect(entries).toHaveLength(1668);
    expect(new Set(entries.map((e) => e.integration)).size).toBe(27);
  });

  it('is accepted entry by entry by the getMetricsData request schema, once given an id', () => {
    const rejected = entries.flatMap(({ integration, index, entry }) => {
      const problems = validateBody({
        customer_integration: '4addc0da-8583-4dbb-a0e9-c7e2e8470f50',
        start: '2024-01-01',
        end: '2024-01-31',
        metrics: [{ id: `${integration}-${index}`, ...entry }],
      });
      return problems.length ? [`${integration}[${index}] ${entry.reference_key as string}: ${problems.join('; ')}`] : [];
    });
    expect(rejected).toEqual([]);
  });

  it('still rejects an entry without an id or with an unknown component', () => {
    const [first] = entries;
    const body = (metric: JsonObject) => ({ customer_integration: '4addc0da-8583-4dbb-a0e9-c7e2e8470f50', start: '2024-01-01', end: '2024-01-31', metrics: [metric] });
    expect(validateBody(body(first!.entry))).toContain("/metrics/0 must have required property 'id'");
    expect(validateBody(body({ ...first!.entry, id: 'x', component: 'gauge_v9' })).length).toBeGreaterThan(0);
  });
});
