// Which tarballs `pnpm pack:local` makes for a package: it and every workspace package it needs at run time.
import { describe, expect, it } from 'vitest';
import { packagesToPack } from '../pack.mjs';

const names = (/** @type {string[]} */ wanted) => packagesToPack(wanted).map((pkg) => pkg.name);

describe('packagesToPack', () => {
  it('adds the workspace packages a package needs, transitively, once each', () => {
    expect(names(['sandbox'])).toEqual([
      '@reportei-connect/sandbox',
      '@reportei-connect/metrics',
      '@reportei-connect/types',
      '@reportei-connect/openapi',
      '@reportei-connect/spec-model',
    ]);
    expect(names(['@reportei-connect/react-query', 'client'])).toEqual(['@reportei-connect/react-query', '@reportei-connect/client', '@reportei-connect/types']);
    expect(names(['openapi'])).toEqual(['@reportei-connect/openapi']);
  });

  it('refuses a name that is no published package, listing those that are', () => {
    expect(() => names(['docs'])).toThrow(/^docs is not a published package of this repository; pick one of .*client.*sandbox/);
  });
});
