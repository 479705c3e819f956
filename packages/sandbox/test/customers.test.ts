import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectError, paginate } from '@reportei-connect/client';
import { describe, expect, it, onTestFinished } from 'vitest';
import { STATE_FORMAT, STATE_VERSION } from '../src/persistence.js';
import { Store } from '../src/store.js';
import { rejection, setup } from './helpers.js';

const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

describe('customers', () => {
  it('are created with a uuid and an api_token shown once, then read, renamed, listed and deleted', async () => {
    const { connect, sandbox } = setup({ now: '2030-01-31T12:00:00Z' });
    const { customer } = await connect.createCustomer({ name: 'Acme' });
    expect(customer).toMatchObject({ name: 'Acme', is_paying: false, merchant: 'Sandbox Merchant' });
    expect(customer.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(customer.api_token).toMatch(/^[0-9a-f]{64}$/);
    // Timestamps come from the sandbox clock, in the API's format, in UTC.
    expect(customer.created_at).toMatch(TIMESTAMP);
    expect(customer.created_at.startsWith('2030-01-31 12:00')).toBe(true);
    expect(customer.trial_ends_at!.startsWith('2030-02-07 12:00')).toBe(true);

    const found = await connect.getCustomer({ uuid: customer.uuid });
    expect(found.customer).toEqual({ ...customer, api_token: undefined });
    expect('api_token' in found.customer).toBe(false);

    sandbox.clock.advance(90);
    const renamed = await connect.updateCustomer({ uuid: customer.uuid, name: 'Acme Inc.' });
    expect(renamed.customer.name).toBe('Acme Inc.');
    expect(renamed.customer.updated_at > renamed.customer.created_at).toBe(true);
    expect((await connect.getCustomer({ uuid: customer.uuid })).customer.name).toBe('Acme Inc.');

    const { data } = await connect.listCustomers();
    expect(data.map((each) => each.name)).toEqual(['Demo Customer', 'Acme Inc.']);
    expect(data.some((each) => 'api_token' in each)).toBe(false);
    expect((await connect.getMerchantSettings()).merchant.total_customers).toBe(2);

    expect(await connect.deleteCustomer({ uuid: customer.uuid })).toEqual({ success: true, message: expect.any(String) });
    const gone = await rejection(connect.getCustomer({ uuid: customer.uuid }));
    expect(gone).toBeInstanceOf(ConnectError);
    expect(gone.status).toBe(404);
    expect((await rejection(connect.deleteCustomer({ uuid: customer.uuid }))).status).toBe(404);
    expect((await rejection(connect.updateCustomer({ uuid: customer.uuid, name: 'x' }))).status).toBe(404);
    expect((await connect.listCustomers()).meta.total).toBe(1);
  });

  it('finds a customer by its uuid in upper case, as uuids are compared', async () => {
    const { connect, demo, sandbox } = setup();
    const { customer } = await connect.createCustomer({ name: 'Shouting' });
    expect((await connect.getCustomer({ uuid: customer.uuid.toUpperCase() })).customer.uuid).toBe(customer.uuid);
    expect((await demo.getCustomerIntegration({ uuid: sandbox.integration.toUpperCase() })).customer_integration.uuid).toBe(sandbox.integration);
    await connect.deleteCustomer({ uuid: customer.uuid.toUpperCase() });
    expect((await rejection(connect.getCustomer({ uuid: customer.uuid }))).status).toBe(404);
  });

  it('never hands out a uuid or token again, not even after a reset; with no seed, tokens nobody can compute', async () => {
    const { connect, control, sandbox } = setup();
    const { customer: before } = await connect.createCustomer({ name: 'Before reset' });
    const demoToken = sandbox.customerToken;
    expect((await control('POST', '/reset')).status).toBe(200);
    const { customer: after } = await connect.createCustomer({ name: 'After reset' });
    expect(after.uuid).not.toBe(before.uuid);
    expect(after.api_token).not.toBe(before.api_token);
    // The old token logs in as nobody, rather than as the new customer.
    expect((await rejection(connect.forCustomer(before.api_token).getCustomerSettings())).status).toBe(401);
    expect(sandbox.customerToken).toBe(demoToken);

    // Without a seed, another sandbox's tokens differ (a random secret); with one, they are reproducible.
    const other = setup();
    expect(other.sandbox.customerToken).not.toBe(demoToken);
    expect(other.sandbox.demo.uuid).toBe(sandbox.demo.uuid);
    expect(setup({ seed: 'same' }).sandbox.customerToken).toBe(setup({ seed: 'same' }).sandbox.customerToken);
  });

  it("stops accepting a deleted customer's token", async () => {
    const { connect } = setup();
    const { customer } = await connect.createCustomer({ name: 'Short-lived' });
    const client = connect.forCustomer(customer.api_token);
    expect((await client.getCustomerSettings()).customer.uuid).toBe(customer.uuid);
    await connect.deleteCustomer({ uuid: customer.uuid });
    const error = await rejection(client.getCustomerSettings());
    expect(error.status).toBe(401);
    // The server's message first, then the client's advice on which token to check.
    expect(error.message).toMatch(/^Invalid Customer Token — getCustomerSettings: /);
    expect(error.body).toEqual({ message: 'Invalid Customer Token' });
  });

  it('answers 404 for a well-formed uuid that is no customer, and 422 naming uuid for a malformed one', async () => {
    const { call } = setup();
    expect((await call('GET', '/customers/caedbbbe-7d93-476f-b965-bf97cd7ce874')).status).toBe(404);
    const malformed = await call('GET', '/customers/not-a-uuid');
    expect(malformed.status).toBe(422);
    expect(Object.keys(malformed.body.errors)).toEqual(['uuid']);
  });

  it('changes is_paying, and its effect, with updateCustomerPaymentStatus', async () => {
    const { connect } = setup();
    const { customer } = await connect.createCustomer({ name: 'Payer' });
    expect((await connect.updateCustomerPaymentStatus({ uuid: customer.uuid, is_paying: true })).success).toBe(true);
    expect((await connect.getCustomer({ uuid: customer.uuid })).customer.is_paying).toBe(true);
    await connect.updateCustomerPaymentStatus({ uuid: customer.uuid, is_paying: false });
    expect((await connect.getCustomer({ uuid: customer.uuid })).customer.is_paying).toBe(false);
  });
});

describe('pagination', () => {
  it('walks every page once, with correct meta, for page sizes from 1 to 100', async () => {
    const { connect, call, sandbox } = setup();
    for (let index = 1; index < 37; index++) await connect.createCustomer({ name: `Customer ${index}` });
    const all = (await connect.listCustomers({ per_page: 100 })).data.map((customer) => customer.uuid);
    expect(all).toHaveLength(37);
    expect(new Set(all).size).toBe(37);

    for (const perPage of [1, 7, 15, 36, 37, 100]) {
      const seen: string[] = [];
      for (let page = 1; ; page++) {
        const { data, meta } = await connect.listCustomers({ page, per_page: perPage });
        expect(meta).toMatchObject({
          current_page: page,
          per_page: perPage,
          total: 37,
          last_page: Math.ceil(37 / perPage),
          from: (page - 1) * perPage + 1,
          to: (page - 1) * perPage + data.length,
          path: `${sandbox.baseUrl}/customers`,
        });
        seen.push(...data.map((customer) => customer.uuid));
        if (page >= meta.last_page) break;
      }
      expect(seen).toEqual(all);
    }

    const defaults = await connect.listCustomers();
    expect(defaults.meta).toMatchObject({ current_page: 1, per_page: 15, from: 1, to: 15, last_page: 3 });
    const past = await connect.listCustomers({ page: 9 });
    expect(past.data).toEqual([]);
    expect(past.meta).toMatchObject({ current_page: 9, from: null, to: null, last_page: 3, total: 37 });

    const walked: string[] = [];
    for await (const customer of paginate(connect.listCustomers, { per_page: 10 })) walked.push(customer.uuid);
    expect(walked).toEqual(all);

    for (const query of ['per_page=0', 'per_page=101', 'per_page=ten', 'page=0', 'page=-1', 'page=1e400', 'page=1e3', 'page=1.5', 'page=99999999999999999999']) {
      const refused = await call('GET', `/customers?${query}`);
      expect(refused.status).toBe(422);
      expect(Object.keys(refused.body.errors)).toEqual([query.split('=')[0]]);
    }
  });

  it('costs no more per page with 10,000 customers than with 10 (a slice of an ordered list)', async () => {
    // The 10,000 customers are made by the store's createCustomer, which POST /customers calls, and the
    // sandbox starts from them as from its state file: the same records as 10,000 POSTs (the POST itself
    // is tested above), made in milliseconds instead of seconds.
    const folder = mkdtempSync(join(tmpdir(), 'connect-sandbox-bulk-'));
    onTestFinished(() => rmSync(folder, { recursive: true, force: true }));
    const file = join(folder, 'state.json');
    const store = Store.seeded('bulk', 'bulk', Date.now());
    for (let index = 0; index < 10_000; index++) store.createCustomer(`Bulk ${index}`, Date.now());
    writeFileSync(file, JSON.stringify({ format: STATE_FORMAT, version: STATE_VERSION, generation: 0, clockOffsetMs: 0, deliveries: [], ...store.toJSON() }));
    const { connect } = setup({ stateFile: file });
    const { meta, data } = await connect.listCustomers({ page: 500, per_page: 20 });
    expect(meta).toMatchObject({ total: 10_001, last_page: 501, from: 9981, to: 10_000 });
    expect(data.map((customer) => customer.name)).toEqual(Array.from({ length: 20 }, (_, index) => `Bulk ${9979 + index}`));
  });
});
