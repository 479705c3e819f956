// @ts-check
// Turns the bundled OpenAPI document into a Postman collection (v2.1) with openapi-to-postmanv2:
// one request per operation, foldered by tag, authenticated once at the collection level.

import { createHash } from 'node:crypto';
import Converter from 'openapi-to-postmanv2';
import { SANDBOX_URL } from '@reportei-connect/codegen-samples';
import { listOperations, securitySchemes, valueAt } from '@reportei-connect/spec-model';

/** Collection variables holding the merchant's bearer token and the customer's token. */
const MERCHANT_TOKEN_VARIABLE = 'merchantToken';
const CUSTOMER_TOKEN_VARIABLE = 'customerToken';

/**
 * @param {Record<string, any>} document a bundled OpenAPI document
 * @returns {Promise<Record<string, any>>} the collection, ready for `JSON.stringify`
 */
export async function toPostmanCollection(document) {
  const collection = await convert(withCustomerTokenHeader(document));

  collection.auth = { type: 'bearer', bearer: [{ key: 'token', value: `{{${MERCHANT_TOKEN_VARIABLE}}}`, type: 'string' }] };
  collection.variable = [
    // The sandbox, as the site's samples: requests reach the API only once the reader sets its address.
    { key: 'baseUrl', value: SANDBOX_URL, type: 'string' },
    { key: MERCHANT_TOKEN_VARIABLE, value: '', type: 'string' },
    { key: CUSTOMER_TOKEN_VARIABLE, value: '', type: 'string' },
  ];
  // Random ids would make every build differ; Postman assigns its own on import.
  collection.info._postman_id = stableUuid(JSON.stringify(document));
  // The guides are tags without operations (x-traitTag); the converter makes an empty folder of each.
  collection.item = collection.item.filter((/** @type {Record<string, any>} */ folder) => folder.request !== undefined || folder.item?.length > 0);
  forEachRequestItem(collection, (item) => {
    delete item.id;
    delete item.request.auth; // inherit the collection's bearer auth
    for (const response of item.response ?? []) delete response.id;
  });
  return collection;
}

/**
 * The converter turns only one scheme of a security requirement into auth, so the customer token
 * (an API-key header required together with the bearer token) would be lost. This copy of the
 * document declares that header as a parameter of each customer-scoped operation, with the
 * `{{customerToken}}` variable as its value.
 *
 * @param {Record<string, any>} document
 */
function withCustomerTokenHeader(document) {
  const copy = /** @type {import('@reportei-connect/spec-model').OpenApiDocument} */ (structuredClone(document));
  const header = securitySchemes(copy).customer?.header;
  for (const { auth, pointer } of listOperations(copy)) {
    if (auth !== 'merchant+customer' || header === undefined) continue;
    const operation = valueAt(copy, pointer);
    operation.parameters = [
      ...(operation.parameters ?? []),
      { name: header, in: 'header', required: true, schema: { type: 'string' }, example: `{{${CUSTOMER_TOKEN_VARIABLE}}}` },
    ];
  }
  return copy;
}

/** @param {Record<string, any>} document */
function convert(document) {
  /** @type {import('openapi-to-postmanv2').Options} */
  const options = {
    folderStrategy: 'Tags',
    requestNameSource: 'Fallback',
    parametersResolution: 'Example',
    alwaysInheritAuthentication: true,
  };
  return new Promise((resolve, reject) => {
    Converter.convertV2({ type: 'json', data: document }, options, (error, result) => {
      const collection = result?.result ? result.output?.[0]?.data : undefined;
      if (error) reject(error);
      else if (collection === undefined) reject(new Error(`openapi-to-postmanv2 could not convert the document: ${result?.reason ?? 'no reason given'}`));
      else resolve(collection);
    });
  });
}

/**
 * @param {Record<string, any>} collection
 * @param {(item: Record<string, any>) => void} visit called for every item that is a request
 */
export function forEachRequestItem(collection, visit) {
  /** @param {Record<string, any>[] | undefined} items */
  const walk = (items) => {
    for (const item of items ?? []) {
      if (item.request) visit(item);
      walk(item.item);
    }
  };
  walk(collection.item);
}

/** @param {string} seed */
function stableUuid(seed) {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
