import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

const packageDir = new URL('..', import.meta.url);
const scratch = mkdtempSync(join(tmpdir(), 'spec-model-readme-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the README', () => {
  const readme = readFileSync(new URL('README.md', packageDir), 'utf8');
  const example = readFileSync(new URL('examples/readme.ts', packageDir), 'utf8');

  it('shows examples/readme.ts, which tsc type-checks against the built package', () => {
    expect(readme).toContain(`\`\`\`ts\n${example}\`\`\``);
  });

  it('runs: lists the operations, routes a request and validates its body', async () => {
    const document = {
      openapi: '3.1.0',
      security: [{ merchantToken: [] }],
      paths: {
        '/customers': {
          get: { operationId: 'listCustomers', responses: { '200': { description: 'ok' } } },
          post: {
            operationId: 'createCustomer',
            requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { name: { type: 'string' } } } } } },
            responses: { '201': { description: 'created' } },
          },
        },
      },
      components: { securitySchemes: { merchantToken: { type: 'http', scheme: 'bearer' } } },
    };
    const path = join(scratch, 'openapi.json');
    writeFileSync(path, JSON.stringify(document));
    const argv = process.argv;
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
    process.argv = [argv[0]!, 'readme.ts', path];
    try {
      await import('../examples/readme.js');
    } finally {
      process.argv = argv;
      log.mockRestore();
    }
    expect(lines).toEqual(['GET /customers listCustomers (merchant; retryable)', 'POST /customers createCustomer (merchant; changes state)', 'createCustomer: /name must be string']);
  });
});
