import { describe, expect, it } from 'vitest';
import { generateTypes } from './generate.mjs';

describe('generateTypes', () => {
  it('writes paths, components and operations, a bare object schema as an open record', async () => {
    const source = await generateTypes({
      openapi: '3.1.0',
      info: { title: 't', version: '1' },
      paths: { '/things': { get: { operationId: 'listThings', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } } } } } },
      components: { schemas: { Thing: { type: 'object', required: ['custom'], properties: { custom: { type: 'object' } } } } },
    });
    expect(source).toContain('export interface paths');
    expect(source).toContain('"/things"');
    expect(source).toContain('listThings');
    // emptyObjectsUnknown: a bare `type: object` is any object, not Record<string, never>.
    expect(source).toContain("custom: Record<string, unknown>;");
  });
});
