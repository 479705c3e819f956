import { createValidator, formatErrors, listOperations, type OperationModel } from '@reportei-connect/spec-model';
import { describe, expect, it } from 'vitest';
import { bundled, payloadEntries } from './load.js';

const validator = createValidator(bundled);
const problemsOf = (schemaPointer: string, value: unknown) => formatErrors(validator.validate(schemaPointer, value));
const operations = listOperations(bundled);

interface Example {
  operationId: string;
  where: string;
  name: string;
  schemaPointer: string | undefined;
  value: unknown;
}

/** Where examples live: parameters, headers and JSON content, each with its schema. */
interface ExampleHolder {
  example?: unknown;
  examples: Record<string, unknown>;
  schemaPointer?: string | undefined;
}

/** Every example attached to the JSON content, a parameter or a header of an operation or a callback. */
function examplesOf(operationId: string, { parameters, requestBody, responses }: Pick<OperationModel, 'parameters' | 'requestBody' | 'responses'>): Example[] {
  const found: Example[] = [];
  const collect = (where: string, holder: ExampleHolder) => {
    if ('example' in holder) found.push({ operationId, where, name: '(inline)', schemaPointer: holder.schemaPointer, value: holder.example });
    for (const [name, value] of Object.entries(holder.examples)) found.push({ operationId, where, name, schemaPointer: holder.schemaPointer, value });
  };
  for (const parameter of parameters) collect(`parameter ${parameter.name}`, parameter);
  if (requestBody) collect('request body', requestBody);
  for (const response of responses) {
    collect(`${response.status} response`, response);
    for (const [name, header] of Object.entries(response.headers)) collect(`${response.status} header ${name}`, header);
  }
  return found;
}

const allExamples = operations.flatMap((operation) => [
  ...examplesOf(operation.id, operation),
  ...operation.callbackOperations.flatMap((callback) => examplesOf(`${operation.id} callback ${callback.id ?? callback.callback}`, callback)),
]);

describe('examples', () => {
  it.each(allExamples.map((e) => [`${e.operationId} ${e.where} ${e.name}`, e] as const))('%s validates against its schema', (_, example) => {
    expect(example.schemaPointer, 'an example needs a schema to check it against').toBeDefined();
    expect(problemsOf(example.schemaPointer!, example.value)).toEqual([]);
  });

  it.each(Object.entries((bundled.components as Record<string, Record<string, { examples?: unknown[] }>>).schemas!).filter(([, s]) => Array.isArray(s.examples)))(
    'schema %s validates its own examples',
    (name, schema) => {
      for (const value of schema.examples!) expect(problemsOf(`/components/schemas/${name}`, value)).toEqual([]);
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

  it('include the webhook example of the getMetricsDataAsync callback', () => {
    expect(allExamples.filter((e) => e.operationId.startsWith('getMetricsDataAsync callback')).map((e) => `${e.where} ${e.name}`)).toEqual(['request body MetricsThreeResults']);
  });

  it('rejects an example that breaks its schema (the check can fail)', () => {
    expect(problemsOf('/components/schemas/Customer', { uuid: 'not-a-uuid', name: 'x', created_at: '2024-09-24T17:07:34Z', updated_at: '2024-09-24 17:07:34' })).toEqual([
      '/uuid must match format "uuid"',
      '/created_at must match pattern "^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}$"',
    ]);
  });
});

describe('metric payload catalogue', () => {
  const entries = payloadEntries();
  const validateBody = (body: unknown) => problemsOf('/components/schemas/MetricsDataRequest', body);

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
      return problems.length ? [`${integration}[${index}] ${String(entry.reference_key)}: ${problems.join('; ')}`] : [];
    });
    expect(rejected).toEqual([]);
  });

  it('still rejects an entry without an id or with an unknown component', () => {
    const [first] = entries;
    const body = (metric: object) => ({ customer_integration: '4addc0da-8583-4dbb-a0e9-c7e2e8470f50', start: '2024-01-01', end: '2024-01-31', metrics: [metric] });
    expect(validateBody(body(first!.entry))).toContain("/metrics/0 must have required property 'id'");
    expect(validateBody(body({ ...first!.entry, id: 'x', component: 'gauge_v9' })).length).toBeGreaterThan(0);
  });
});
