// Small documents for the generators' tests: every generator is tested on hand-made specs with the
// API's two security schemes, the paths and schemas each test needs, and nothing else.

/** A response list with one success and nothing in it. */
export const ok = { '200': { description: 'ok' } };

/** A required JSON request body. @param {unknown} schema */
export const jsonBody = (schema) => ({ required: true, content: { 'application/json': { schema } } });

/**
 * A small spec: the merchant's bearer scheme (the default requirement), the customer's API-key header
 * (`customer`, for operations to require beside `bearer`), and the given paths, component schemas and tags.
 * @param {Record<string, unknown>} paths
 * @param {{ schemas?: Record<string, unknown>, tags?: unknown[] }} [extra]
 * @returns {Record<string, any> & { openapi: string }}
 */
export function smallSpec(paths, { schemas = {}, tags } = {}) {
  return {
    openapi: '3.1.0',
    info: { title: 't', version: '1' },
    security: [{ bearer: [] }],
    ...(tags && { tags }),
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, customer: { type: 'apiKey', in: 'header', name: 'X-Customer-Token' } },
      schemas,
    },
    paths,
  };
}
