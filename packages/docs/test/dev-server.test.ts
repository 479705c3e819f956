// The docs site of `pnpm dev`: the current document with its code samples, Redoc rendering it in the
// browser, and a reload pushed to every open page when the document changes.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevDocsServer } from '../src/dev-server.mjs';

const bundled = JSON.parse(readFileSync(fileURLToPath(import.meta.resolve('@reportei-connect/openapi/openapi.json')), 'utf8'));
let server: Awaited<ReturnType<typeof startDevDocsServer>>;

beforeAll(async () => {
  server = await startDevDocsServer({ document: structuredClone(bundled), port: 0 });
});
afterAll(() => server?.close());

describe('the pnpm dev docs server', () => {
  it('serves a page that renders openapi.json with Redoc and reloads on a new document', async () => {
    const html = await (await fetch(server.url)).text();
    expect(html).toContain('<script src="redoc.standalone.js"></script>');
    expect(html).toContain("Redoc.init('openapi.json'");
    expect(html).toContain("new EventSource('/__dev/events')");
    const script = await fetch(new URL('redoc.standalone.js', server.url));
    expect(script.status).toBe(200);
    expect((await script.text()).length).toBeGreaterThan(100_000);
    expect((await fetch(new URL('favicon.svg', server.url))).status).toBe(200);
    expect((await fetch(new URL('nothing-here', server.url))).status).toBe(404);
  });

  it('serves the document with the generated samples, then the next one, telling open pages to reload', async () => {
    const first = await (await fetch(new URL('openapi.json', server.url))).json();
    expect(first.paths['/merchants/settings'].get['x-codeSamples'].map((sample: { lang: string }) => sample.lang)).toContain('typescript');

    const events = await fetch(new URL('__dev/events', server.url));
    const reader = events.body!.pipeThrough(new TextDecoderStream()).getReader();
    expect((await reader.read()).value).toContain(': connected');

    const next = structuredClone(bundled);
    next.paths['/merchants/settings'].get.summary = 'Read the settings, edited';
    server.update(next);
    let received = '';
    while (!received.includes('event: document')) received += (await reader.read()).value ?? '';
    await reader.cancel();
    const second = await (await fetch(new URL('openapi.json', server.url))).json();
    expect(second.paths['/merchants/settings'].get.summary).toBe('Read the settings, edited');
    expect(second.paths['/merchants/settings'].get['x-codeSamples']).toHaveLength(first.paths['/merchants/settings'].get['x-codeSamples'].length);
  });
});
