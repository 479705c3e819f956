// Unit tests of the samples on small hand-made documents.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { addCodeSamples, shellQuote } from './generate.mjs';

/**
 * A minimal document with one merchant operation and one customer-scoped operation.
 * @returns {Record<string, any> & { openapi: string }}
 */
function smallDocument() {
  return {
    openapi: '3.1.0',
    info: { title: 'Small', version: '1' },
    servers: [{ url: 'https://api.example.com/v1/' }],
    security: [{ merchantToken: [] }],
    components: {
      securitySchemes: {
        merchantToken: { type: 'http', scheme: 'bearer' },
        customerToken: { type: 'apiKey', in: 'header', name: 'x-customer-token' },
      },
      parameters: {
        Id: { name: 'id', in: 'path', required: true, schema: { type: 'string' }, example: 'a b' },
      },
      examples: { Note: { value: { text: "it's \"quoted\"", tags: ['x'] } } },
    },
    paths: {
      '/notes/{id}': {
        parameters: [{ $ref: '#/components/parameters/Id' }],
        put: {
          operationId: 'updateNote',
          parameters: [{ name: 'dry_run', in: 'query', schema: { type: 'boolean' }, example: true }],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { type: 'object', properties: { text: { type: 'string' }, tags: { type: 'array' } } }, examples: { Note: { $ref: '#/components/examples/Note' } } } },
          },
          responses: {
            '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object', required: ['note'], properties: { note: { type: 'object' } } } } } },
          },
        },
      },
      '/me': {
        get: {
          operationId: 'getMe',
          security: [{ merchantToken: [], customerToken: [] }],
          responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } },
        },
      },
    },
  };
}

/** @param {Record<string, any>} document @param {string} path @param {string} method @returns {Record<string, string>} */
const samplesOf = (document, path, method) =>
  Object.fromEntries(document.paths[path][method]['x-codeSamples'].map((/** @type {{ label: string, source: string }} */ sample) => [sample.label, sample.source]));

describe('addCodeSamples', () => {
  it('writes a cURL command from the method, path, parameter examples, body example and security', () => {
    const { cURL } = samplesOf(addCodeSamples(smallDocument()), '/notes/{id}', 'put');
    expect(cURL).toBe(
      [
        "curl -X PUT 'https://api.example.com/v1/notes/a%20b?dry_run=true' \\",
        '  -H "Authorization: Bearer $REPORTEI_CONNECT_TOKEN" \\',
        "  -H 'Content-Type: application/json' \\",
        `  -d '{`,
        `    "text": "it'\\''s \\"quoted\\"",`,
        '    "tags": [',
        '      "x"',
        '    ]',
        "  }'",
        '',
      ].join('\n'),
    );
  });

  it('writes a TypeScript program passing path, query and body fields in one object', () => {
    const { TypeScript } = samplesOf(addCodeSamples(smallDocument()), '/notes/{id}', 'put');
    expect(TypeScript).toBe(
      [
        "import { createConnectClient } from '@reportei-connect/client';",
        '',
        'const connect = createConnectClient({ token: process.env.REPORTEI_CONNECT_TOKEN! });',
        '',
        'const { note } = await connect.updateNote({',
        "  id: 'a b',",
        '  dry_run: true,',
        `  text: 'it\\'s "quoted"',`,
        "  tags: ['x'],",
        '});',
        'console.log(note);',
        '',
      ].join('\n'),
    );
  });

  it('calls customer-scoped operations through forCustomer and sends the customer token header', () => {
    const { cURL, TypeScript } = samplesOf(addCodeSamples(smallDocument()), '/me', 'get');
    expect(cURL).toContain('-H "x-customer-token: $REPORTEI_CONNECT_CUSTOMER_TOKEN"');
    expect(TypeScript).toContain('const acme = connect.forCustomer(process.env.REPORTEI_CONNECT_CUSTOMER_TOKEN!);');
    expect(TypeScript).toContain('const response = await acme.getMe();');
  });

  it('leaves the input document untouched', () => {
    const document = smallDocument();
    addCodeSamples(document);
    expect(document).toEqual(smallDocument());
  });

  it('fails naming the operation when a required parameter has no example', () => {
    const document = smallDocument();
    delete document.components.parameters.Id.example;
    expect(() => addCodeSamples(document)).toThrow('updateNote: the required path parameter "id" has no example');
  });

  it('fails naming the operation when a required body has no example', () => {
    const document = smallDocument();
    delete document.paths['/notes/{id}'].put.requestBody.content['application/json'].examples;
    expect(() => addCodeSamples(document)).toThrow('updateNote: the required JSON request body has no example');
  });

  it('refuses to overwrite hand-written x-codeSamples', () => {
    const document = smallDocument();
    document.paths['/me'].get['x-codeSamples'] = [{ lang: 'go', source: '...' }];
    expect(() => addCodeSamples(document)).toThrow('getMe already has x-codeSamples');
  });

  it('fails, as the client generator does, when a query and a body field share a name', () => {
    const document = smallDocument();
    document.paths['/notes/{id}'].put.parameters[0].name = 'text';
    expect(() => addCodeSamples(document)).toThrow(/field "text" is both a query parameter and a body property/);
  });
});

describe('shellQuote', () => {
  it('quotes any text so that a POSIX shell reads it back unchanged', () => {
    for (const text of ['plain', "it's", "''", '$HOME `id` "x" \\ \n end']) {
      expect(execFileSync('sh', ['-c', `printf %s ${shellQuote(text)}`], { encoding: 'utf8' })).toBe(text);
    }
  });
});
