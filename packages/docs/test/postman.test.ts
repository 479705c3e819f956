import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { forEachRequestItem } from '../src/postman.mjs';
import { distDir, operationsOf, readPublishedDocument, specOperationIds } from './built-site.js';

const document = await readPublishedDocument();
const collection = JSON.parse(await readFile(`${distDir}postman.json`, 'utf8'));
const requests: Record<string, any>[] = [];
forEachRequestItem(collection, (item) => requests.push(item.request));

/** `/customers/{uuid}` as Postman writes it: `/customers/:uuid`. */
const postmanPath = (path: string) => path.replace(/\{([^}]+)\}/g, ':$1');
const requestPath = (request: Record<string, any>) => `/${request.url.path.join('/')}`;

describe('dist/postman.json', () => {
  it('is a Postman v2.1 collection named after the API', () => {
    expect(collection.info.schema).toBe('https://schema.getpostman.com/json/collection/v2.1.0/collection.json');
    expect(collection.info.name).toBe(document.info.title);
  });

  it('has exactly one request per operation', () => {
    const operations = operationsOf(document).map(({ method, path }) => `${method} ${postmanPath(path)}`);
    expect(requests.map((request) => `${request.method} ${requestPath(request)}`).sort()).toEqual(operations.sort());
    expect(operationsOf(document).map(({ operationId }) => operationId)).toEqual(specOperationIds());
  });

  it('has one folder per API reference tag and none for the guides', () => {
    const referenceTags = document.tags.filter((tag: any) => !tag['x-traitTag']).map((tag: any) => tag.name);
    expect(collection.item.map((folder: any) => folder.name)).toEqual(referenceTags);
  });

  it('authenticates with the merchant bearer token once, at the collection level', () => {
    expect(collection.auth).toEqual({ type: 'bearer', bearer: [{ key: 'token', value: '{{merchantToken}}', type: 'string' }] });
    for (const request of requests) expect(request.auth, requestPath(request)).toBeUndefined();
  });

  it('declares the baseUrl, merchantToken and customerToken variables', () => {
    expect(collection.variable).toEqual([
      { key: 'baseUrl', value: 'http://127.0.0.1:4011/api', type: 'string' },
      { key: 'merchantToken', value: '', type: 'string' },
      { key: 'customerToken', value: '', type: 'string' },
    ]);
    for (const request of requests) expect(request.url.host).toEqual(['{{baseUrl}}']);
  });

  it('sends {{customerToken}} as x-customer-token on exactly the customer-scoped operations', () => {
    for (const { method, path, auth } of operationsOf(document)) {
      const request = requests.find((candidate) => candidate.method === method && requestPath(candidate) === postmanPath(path));
      const customerHeaders = request?.header.filter((header: any) => header.key === 'x-customer-token') ?? [];
      expect(customerHeaders, `${method} ${path}`).toEqual(auth === 'merchant+customer' ? [expect.objectContaining({ value: '{{customerToken}}' })] : []);
    }
  });
});
