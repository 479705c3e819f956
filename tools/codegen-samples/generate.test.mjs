// Unit tests of the samples on small hand-made documents.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { addCodeSamples, SANDBOX_URL, shellQuote } from './generate.mjs';

/**
 * A minimal document with one merchant operation and one customer-scoped operation.
 * @returns {Record<string, any> & { openapi: string }}
 */
function smallDocument() {
  return {
    openapi: '3.1.0',
    info: { title: 'Small', version: '1' },
    servers: [{ url: 'https://api.example.com/v1/' }, { url: SANDBOX_URL }],
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
  it('writes a cURL command from the method, path, parameter examples, body example and security, to the sandbox unless REPORTEI_CONNECT_BASE_URL is set', () => {
    const { cURL } = samplesOf(addCodeSamples(smallDocument()), '/notes/{id}', 'put');
    expect(cURL).toBe(
      [
        'curl -X PUT "${REPORTEI_CONNECT_BASE_URL:-http://127.0.0.1:4011/api}/notes/a%20b?dry_run=true" \\',
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
        '// Reads REPORTEI_CONNECT_TOKEN; sends to the sandbox unless REPORTEI_CONNECT_BASE_URL is set.',
        "const connect = createConnectClient({ baseUrl: process.env.REPORTEI_CONNECT_BASE_URL ?? 'http://127.0.0.1:4011/api' });",
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

  it('reads the id of a customer integration from REPORTEI_CONNECT_CUSTOMER_INTEGRATION, in the path and in a body', () => {
    const document = smallDocument();
    document.paths['/customer-integrations/{uuid}'] = {
      post: {
        operationId: 'readIntegration',
        parameters: [{ name: 'uuid', in: 'path', required: true, schema: { type: 'string' }, example: 'spec-example' }],
        requestBody: { content: { 'application/json': { schema: { type: 'object' }, example: { customer_integration: 'spec-example', days: 3 } } } },
        responses: { '200': { description: 'ok' } },
      },
    };
    const { cURL, TypeScript } = samplesOf(addCodeSamples(document), '/customer-integrations/{uuid}', 'post');
    expect(cURL).toContain('/customer-integrations/${REPORTEI_CONNECT_CUSTOMER_INTEGRATION}"');
    expect(cURL).toContain(`"customer_integration": "'"\${REPORTEI_CONNECT_CUSTOMER_INTEGRATION}"'",`);
    expect(TypeScript).toContain('uuid: process.env.REPORTEI_CONNECT_CUSTOMER_INTEGRATION!,');
    expect(TypeScript).toContain('customer_integration: process.env.REPORTEI_CONNECT_CUSTOMER_INTEGRATION!,');
    expect(`${cURL}${TypeScript}`).not.toContain('spec-example');
    // The cURL sample, run by a shell, sends the variable's value in the JSON.
    const body = execFileSync('sh', ['-c', `printf %s ${String(cURL).slice(String(cURL).indexOf("-d '") + 3).trimEnd()}`], {
      encoding: 'utf8',
      env: { ...process.env, REPORTEI_CONNECT_CUSTOMER_INTEGRATION: 'from-the-sandbox' },
    });
    expect(JSON.parse(body)).toEqual({ customer_integration: 'from-the-sandbox', days: 3 });
  });

  it("takes a field that a link provides from the linked operation's response, called first in the same sample", () => {
    const document = smallDocument();
    document.paths['/me'].get.responses['200'].content['application/json'].schema = { type: 'object', properties: { me: { type: 'object' } } };
    document.paths['/me'].get.responses['200'].links = { UpdateNote: { operationId: 'updateNote', parameters: { id: '$response.body#/me/note id' } } };
    const { cURL, TypeScript } = samplesOf(addCodeSamples(document), '/notes/{id}', 'put');
    expect(String(cURL).split('\n').slice(0, 4)).toEqual([
      "# id from getMe's response",
      'id=$(curl -fsS "${REPORTEI_CONNECT_BASE_URL:-http://127.0.0.1:4011/api}/me" \\',
      '  -H "Authorization: Bearer $REPORTEI_CONNECT_TOKEN" \\',
      `  -H "x-customer-token: $REPORTEI_CONNECT_CUSTOMER_TOKEN" | jq -r '.me["note id"]')`,
    ]);
    expect(cURL).toContain('/notes/${id}?dry_run=true"');
    expect(TypeScript).toContain("const acme = connect.forCustomer(process.env.REPORTEI_CONNECT_CUSTOMER_TOKEN!);\n\n// id from getMe's response\nconst first = await acme.getMe();\n");
    expect(TypeScript).toContain("  id: first.me['note id'],\n");
  });

  it('fails when the document does not list the sandbox among its servers', () => {
    const document = smallDocument();
    document.servers = [{ url: 'https://api.example.com/v1/' }];
    expect(() => addCodeSamples(document)).toThrow(`The document's \`servers\` do not list the sandbox, ${SANDBOX_URL}`);
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
