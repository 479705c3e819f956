// The per-call variants are configured as the README says: each answers the parsed body, rejects on an
// error status (after its own retries, if it has any) and, where it has a timeout, gives up on a server
// that never answers. No timings are asserted: the benchmark measures, these tests check its plumbing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientBudget, roundOrders, startServer } from './calls.mjs';
import { clientEntryFile, createVariants } from './variants.mjs';

/** @type {Record<'ok' | 'fail' | 'hang', Awaited<ReturnType<typeof startServer>>>} */
const servers = /** @type {any} */ ({});
const clientFile = clientEntryFile();
/**
 * A short timeout against the server that never answers, so a variant that honours it gives up well
 * within the test's own; it cannot fire early there. The servers that answer get the default (30 s),
 * which no busy machine comes near.
 */
const hangTimeoutMs = 300;

beforeAll(async () => {
  [servers.ok, servers.fail, servers.hang] = await Promise.all([startServer(), startServer('fail'), startServer('hang')]);
});
afterAll(() => {
  for (const server of Object.values(servers)) server?.stop();
});

/** @param {'ok' | 'fail' | 'hang'} server */
const variantsFor = (server) => createVariants({ baseUrl: servers[server].baseUrl, clientFile, ...(server === 'hang' && { timeoutMs: hangTimeoutMs }) });

// The cases run at once: each uses its own server, and the slow ones mostly wait out retries and timeouts.
describe('createVariants', { concurrent: true }, () => {
  it('has raw fetch first, raw fetch with the timeout as the reference, the client when built, and the five peers with their versions', async ({ expect }) => {
    const variants = await variantsFor('ok');
    expect(variants.map((variant) => variant.id)).toEqual(['raw', 'rawWithTimeout', ...(clientFile ? ['client'] : []), 'openapiFetch', 'ky', 'ofetch', 'axiosFetch', 'axiosHttp']);
    expect(variants.map((variant) => variant.role)).toEqual(['baseline', 'reference', ...(clientFile ? ['client'] : []), 'peer', 'peer', 'peer', 'peer', 'peer']);
    for (const variant of variants.filter((candidate) => candidate.role === 'peer')) expect(variant.name).toMatch(/\d+\.\d+\.\d+/);
  });

  it('every variant answers the parsed merchant settings', async ({ expect }) => {
    for (const variant of await variantsFor('ok')) {
      const body = /** @type {{ merchant?: { uuid?: unknown } }} */ (await variant.call());
      expect(typeof body.merchant?.uuid, variant.name).toBe('string');
    }
  });

  it('every variant rejects on a 500', async ({ expect }) => {
    const results = await Promise.allSettled((await variantsFor('fail')).map((variant) => variant.call()));
    for (const [index, result] of results.entries()) expect(result.status, `variant ${index}`).toBe('rejected');
  });

  it('every variant but raw fetch has the timeout: it rejects when the server never answers, as a timeout', async ({ expect }) => {
    const withTimeout = (await variantsFor('hang')).filter((variant) => variant.id !== 'raw');
    expect(withTimeout.map((variant) => variant.id)).toEqual(['rawWithTimeout', ...(clientFile ? ['client'] : []), 'openapiFetch', 'ky', 'ofetch', 'axiosFetch', 'axiosHttp']);
    const results = await Promise.allSettled(withTimeout.map((variant) => variant.call()));
    for (const [index, result] of results.entries()) {
      const name = withTimeout[index]?.name;
      expect(result.status, name).toBe('rejected');
      const reason = /** @type {{ name?: string, message?: string, code?: string, cause?: { name?: string } }} */ (result.status === 'rejected' ? result.reason : {});
      expect(`${reason.name} ${reason.code} ${reason.message} ${reason.cause?.name}`, name).toMatch(/time ?out|abort/i);
    }
  });
});

describe('clientBudget', () => {
  /** @param {import('./variants.mjs').VariantId} id @param {'baseline' | 'reference' | 'client' | 'peer'} role @param {number} wall @param {number} ratio */
  const row = (id, role, wall, ratio) => {
    const measure = { medianMicroseconds: wall, spread: 0, ratioToRawFetch: ratio, ratioToReference: ratio, perRoundMicroseconds: [wall] };
    return { id, name: id, role, wall: measure, cpu: measure };
  };
  it('is met at most 1.05x the reference and faster than every peer, in both modes', () => {
    const rows = [row('raw', 'baseline', 95, 0.95), row('rawWithTimeout', 'reference', 100, 1), row('client', 'client', 104, 1.04), row('ky', 'peer', 120, 1.2)];
    expect(clientBudget({ sequential: rows, concurrent: rows })).toMatchObject({ met: true, sequential: { ratio: 1.04, met: true, slowerThan: [] } });
  });

  it('is missed over 1.05x, or when a peer is as fast, naming it', () => {
    const fast = [row('raw', 'baseline', 95, 0.95), row('rawWithTimeout', 'reference', 100, 1), row('client', 'client', 104, 1.04), row('ky', 'peer', 103, 1.03)];
    const slow = [row('raw', 'baseline', 95, 0.95), row('rawWithTimeout', 'reference', 100, 1), row('client', 'client', 107, 1.07)];
    expect(clientBudget({ sequential: fast, concurrent: slow })).toMatchObject({
      met: false,
      sequential: { met: false, slowerThan: ['ky'] },
      concurrent: { ratio: 1.07, met: false, slowerThan: [] },
    });
    expect(clientBudget({ sequential: slow.slice(0, 2), concurrent: slow })).toBeUndefined();
  });
});

describe('roundOrders', () => {
  it('runs every variant once a round, in orders that vary from round to round and repeat from run to run', () => {
    const orders = roundOrders(8, 21);
    expect(orders).toHaveLength(21);
    for (const order of orders) expect([...order].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(new Set(orders.map((order) => order.join())).size).toBeGreaterThan(15);
    expect(roundOrders(8, 21)).toEqual(orders);
    // No variant always comes right after the same one, as in a rotation.
    const predecessors = new Set(orders.map((order) => order[order.indexOf(0) - 1]));
    expect(predecessors.size).toBeGreaterThan(3);
  });
});
