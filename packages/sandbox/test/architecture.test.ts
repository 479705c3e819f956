import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Runtime } from '../src/runtime.js';

const src = new URL('../src/', import.meta.url);
const importsOf = (file: string) => [...readFileSync(new URL(file, src), 'utf8').matchAll(/^import [^;]*? from '([^']+)';$/gms)].map((match) => match[1]!);

describe('the composition', () => {
  it('keeps the runtime and what it owns free of the HTTP layer', () => {
    const core = ['runtime.ts', 'store.ts', 'persistence.ts', 'webhooks.ts', 'clock.ts', 'rate-limit.ts', 'metrics.ts', 'catalogue.ts'];
    for (const file of core) {
      const http = importsOf(file).filter((specifier) => specifier.startsWith('hono') || specifier.startsWith('@hono/') || specifier.startsWith('./http/') || specifier === './app.js' || specifier === './sandbox.js');
      expect(http, file).toEqual([]);
    }
  });

  it('has app.ts only mount the parts, each HTTP concern in its own module', () => {
    expect(readdirSync(new URL('http/', src)).sort()).toEqual(['api.ts', 'control.ts', 'guard.ts', 'respond.ts']);
    expect(readFileSync(new URL('app.ts', src), 'utf8')).not.toMatch(/\.(get|post|put|delete)\(/);
  });

  it('refuses a change of the state made outside a runtime transaction, which would never be saved', async () => {
    const runtime = new Runtime({ seed: 'x', stateFile: undefined, startMs: undefined, rateLimit: { perMinute: 10 }, webhooks: {} });
    try {
      expect(() => runtime.store.createCustomer('Unsaved', Date.now())).toThrow('outside Runtime.change');
      expect(runtime.store.customerCount).toBe(1);
      expect(runtime.change(() => runtime.store.createCustomer('Saved', Date.now())).name).toBe('Saved');
      // A change that throws half-way is undone whole.
      expect(() =>
        runtime.change(() => {
          runtime.store.createCustomer('Half', Date.now());
          throw new Error('refused');
        }),
      ).toThrow('refused');
      expect(runtime.store.customerCount).toBe(2);
    } finally {
      await runtime.close();
    }
  });
});
