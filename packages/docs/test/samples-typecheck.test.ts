import { describe, expect, it } from 'vitest';
import { operationsOf, readPublishedDocument, specOperationIds, testOutputDir } from './built-site.js';
import { typeCheckSnippets, typeScriptSnippets } from './typescript-in-docs.js';

const document = await readPublishedDocument();

describe('the TypeScript shown on the docs site', () => {
  const snippets = typeScriptSnippets(document);

  it("includes a sample for each of the spec's operations and the code of the guides", () => {
    const names = snippets.map((snippet) => snippet.name);
    const operations = operationsOf(document);
    expect(operations.map(({ operationId }) => operationId)).toEqual(specOperationIds());
    for (const { operationId } of operations) expect(names).toContain(`x-codeSamples of ${operationId}`);
    expect(names.filter((name) => name.startsWith('TypeScript block')).length).toBeGreaterThanOrEqual(7);
  });

  it('compiles against @reportei-connect/client', async () => {
    expect(await typeCheckSnippets(snippets, `${testOutputDir}typecheck/docs`)).toEqual([]);
  });

  it('would report a sample that does not compile, naming it', async () => {
    const broken = {
      name: 'a customer-scoped call on the merchant client',
      source: [
        "import { createConnectClient } from '@reportei-connect/client';",
        "const connect = createConnectClient({ token: 'merchant-token' });",
        'await connect.getCustomerSettings();',
      ].join('\n'),
    };
    const errors = await typeCheckSnippets([broken], `${testOutputDir}typecheck/broken`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^a customer-scoped call on the merchant client, line 3: .*getCustomerSettings/);
  });
});
