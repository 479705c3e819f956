import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { distDir, operationsOf, readPublishedDocument } from './built-site.js';

const document = await readPublishedDocument();
const bundled = JSON.parse(await readFile(new URL(import.meta.resolve('@reportei-connect/openapi/openapi.json')), 'utf8'));
const operations = operationsOf(document);

describe('dist/openapi.json and dist/openapi.yaml', () => {
  it('are the bundled spec plus x-codeSamples, and nothing else', () => {
    const withoutSamples = structuredClone(document);
    for (const { operation } of operationsOf(withoutSamples)) delete operation['x-codeSamples'];
    expect(withoutSamples).toEqual(bundled);
  });

  it('hold the same document', async () => {
    expect(parse(await readFile(`${distDir}openapi.yaml`, 'utf8'))).toEqual(document);
  });

  it('give every operation a cURL and a TypeScript sample that call it', () => {
    for (const { operationId, method, path, operation } of operations) {
      const samples = operation['x-codeSamples'];
      expect(samples.map((sample: any) => sample.label), operationId).toEqual(['cURL', 'TypeScript']);
      const [curl, typescript] = samples.map((sample: any) => sample.source as string);
      // The operation's own command is the last; a command before it gets an id the sample needs.
      const command = curl.split(/^(?=curl )/m).at(-1);
      const pathBeforeFirstParameter = path.split('{')[0];
      expect(command, operationId).toContain(`"\${REPORTEI_CONNECT_BASE_URL:-http://127.0.0.1:4011/api}${pathBeforeFirstParameter}`);
      expect(command.startsWith(method === 'GET' ? 'curl ' : `curl -X ${method} `), operationId).toBe(true);
      expect(typescript, operationId).toMatch(new RegExp(`await (connect|acme)\\.${operationId}\\(`));
    }
  });

  it('send nothing to production unless REPORTEI_CONNECT_BASE_URL names it', () => {
    for (const { operationId, operation } of operations) {
      const [curl, typescript] = operation['x-codeSamples'].map((sample: any) => sample.source as string);
      expect(`${curl}${typescript}`, operationId).not.toContain('connect.reportei.com');
      expect(typescript, operationId).toContain("baseUrl: process.env.REPORTEI_CONNECT_BASE_URL ?? 'http://127.0.0.1:4011/api'");
    }
  });

  it('send the customer token exactly where the operation needs it', () => {
    for (const { operationId, operation, auth } of operations) {
      const needsCustomer = auth === 'merchant+customer';
      const [curl, typescript] = operation['x-codeSamples'].map((sample: any) => sample.source as string);
      expect(curl.includes('-H "x-customer-token: $REPORTEI_CONNECT_CUSTOMER_TOKEN"'), operationId).toBe(needsCustomer);
      expect(typescript.includes('connect.forCustomer(process.env.REPORTEI_CONNECT_CUSTOMER_TOKEN!)'), operationId).toBe(needsCustomer);
      expect(curl).toContain('-H "Authorization: Bearer $REPORTEI_CONNECT_TOKEN"');
    }
  });
});

describe('dist/index.html', () => {
  it('loads Redoc from its own origin, with the integrity of the copy next to it', async () => {
    const html = await readFile(`${distDir}index.html`, 'utf8');
    const script = await readFile(`${distDir}redoc.standalone.js`);
    expect(html).toContain('import { hydrate } from "./redoc.standalone.js"');
    expect(html).toContain(`integrity="sha384-${createHash('sha384').update(script).digest('base64')}"`);
    expect(html).not.toMatch(/cdn\.redoc(ly)?\.(com|ly)/);
    expect(script.toString()).not.toContain('https://cdn.redoc.ly/redoc/logo-mini');
  });

  it("tells the browser to load nothing from other origins, and Redoc's telemetry is off", async () => {
    const html = await readFile(`${distDir}index.html`, 'utf8');
    const policy = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)"/)?.[1];
    expect(policy).toMatch(/^default-src 'self'; script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')+; /);
    expect(policy).not.toMatch(/https?:|\*/);
    expect(html).toContain('"disableTelemetry":true');
  });
});
