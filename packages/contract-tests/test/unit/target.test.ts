import { CONTROL_PREFIX } from '@reportei-connect/sandbox';
import { describe, expect, it } from 'vitest';
import { describeTarget, SANDBOX_CONTROL_PREFIX, targetFromEnv } from '../../src/target.js';

describe('targetFromEnv', () => {
  it('tests the mock when CONNECT_BASE_URL is not set, with a fixed seed', () => {
    const config = targetFromEnv({});
    expect(config).toMatchObject({ kind: 'mock', baseUrl: undefined, allowWrites: true, disposable: false, controlUrl: undefined, property: { runs: 20, seed: 20240924 } });
  });

  it('tests a server with its token, read-only unless CONNECT_ALLOW_WRITES=1', () => {
    const env = { CONNECT_BASE_URL: 'https://connect.reportei.com/api/', CONNECT_TOKEN: 'secret-merchant' };
    expect(targetFromEnv(env)).toMatchObject({ kind: 'server', baseUrl: 'https://connect.reportei.com/api', merchantToken: 'secret-merchant', allowWrites: false, disposable: false, customerToken: undefined });
    expect(targetFromEnv({ ...env, CONNECT_ALLOW_WRITES: '1', CONNECT_CUSTOMER_TOKEN: 'c' })).toMatchObject({ allowWrites: true, customerToken: 'c' });
  });

  it("treats a server as a sandbox with CONNECT_SANDBOX=1: its records disposable, its control endpoints at the origin's /__sandbox", () => {
    const env = { CONNECT_BASE_URL: 'http://127.0.0.1:4011/api', CONNECT_TOKEN: 'sandbox-merchant-token' };
    expect(targetFromEnv(env)).toMatchObject({ disposable: false, controlUrl: undefined });
    expect(targetFromEnv({ ...env, CONNECT_SANDBOX: '1' })).toMatchObject({ disposable: true, controlUrl: 'http://127.0.0.1:4011/__sandbox', allowWrites: false });
    expect(SANDBOX_CONTROL_PREFIX).toBe(CONTROL_PREFIX);
  });

  it('says what to do when the configuration is incomplete or malformed', () => {
    expect(() => targetFromEnv({ CONNECT_BASE_URL: 'https://connect.reportei.com/api' })).toThrow('export the merchant API token as CONNECT_TOKEN');
    expect(() => targetFromEnv({ CONNECT_BASE_URL: 'connect.reportei.com', CONNECT_TOKEN: 't' })).toThrow('CONNECT_BASE_URL must be an http(s) URL');
    expect(() => targetFromEnv({ CONNECT_BASE_URL: 'http://127.0.0.1:1', CONNECT_TOKEN: 't', CONNECT_CUSTOMER_INTEGRATION: '42' })).toThrow('must be the uuid of a customer integration');
    expect(() => targetFromEnv({ CONNECT_PROPERTY_RUNS: 'many' })).toThrow('CONNECT_PROPERTY_RUNS must be a whole number');
  });

  it('reads the property run count and seed', () => {
    expect(targetFromEnv({ CONNECT_PROPERTY_RUNS: '200', CONNECT_PROPERTY_SEED: '7' }).property).toEqual({ runs: 200, seed: 7 });
  });
});

describe('describeTarget', () => {
  it('says what is under test without printing a token', () => {
    const line = describeTarget(targetFromEnv({ CONNECT_BASE_URL: 'https://connect.reportei.com/api', CONNECT_TOKEN: 'secret-merchant', CONNECT_CUSTOMER_TOKEN: 'secret-customer' }));
    expect(line).toContain('https://connect.reportei.com/api');
    expect(line).toContain('customer token set');
    expect(line).toContain('set CONNECT_ALLOW_WRITES=1');
    expect(line).not.toMatch(/secret/);
  });
});
