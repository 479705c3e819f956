import { describe, expect, it } from 'vitest';
import { ClockError } from '../src/index.js';
import { DAY, rejection, setup } from './helpers.js';

const metricsRequest = (integration: string) => ({
  customer_integration: integration,
  start: '2025-01-01',
  end: '2025-01-31',
  metrics: [{ id: 'reach', reference_key: 'ig:reach', component: 'number_v1' as const, metrics: ['reach'] }],
});

describe('trial and payment', () => {
  it('refuses customer-integration and metrics calls after the 7-day trial, until the customer is marked paying', async () => {
    const { connect, sandbox } = setup();
    const { customer } = await connect.createCustomer({ name: 'Trialist' });
    const integration = sandbox.connectIntegration(customer.uuid, 'instagram_business');
    const client = connect.forCustomer(customer.api_token);
    expect((await client.listCustomerIntegrations()).data).toHaveLength(1);

    sandbox.clock.advance(7 * DAY - 60);
    expect((await client.getMetricsData(metricsRequest(integration))).reach?.values).toEqual(expect.any(Number));

    sandbox.clock.advance(61);
    for (const call of [
      () => client.listCustomerIntegrations(),
      () => client.getCustomerIntegration({ uuid: integration }),
      () => client.createIntegrationSession({}),
      () => client.getMetricsData(metricsRequest(integration)),
      () => client.getMetricsDataAsync({ ...metricsRequest(integration), metrics_webhook_url: 'https://example.com/hook' }),
    ]) {
      const error = await rejection(call());
      expect(error.status).toBe(401);
      expect(error.message).toMatch(/trial ended/);
    }
    // Merchant operations, and the customer's own settings, keep working.
    expect((await client.getCustomerSettings()).customer.uuid).toBe(customer.uuid);
    expect((await connect.getCustomer({ uuid: customer.uuid })).customer.is_paying).toBe(false);
    expect((await connect.listCustomers()).meta.total).toBe(2);

    await connect.updateCustomerPaymentStatus({ uuid: customer.uuid, is_paying: true });
    expect((await client.getMetricsData(metricsRequest(integration))).reach?.values).toEqual(expect.any(Number));
    await connect.updateCustomerPaymentStatus({ uuid: customer.uuid, is_paying: false });
    expect((await rejection(client.listCustomerIntegrations())).status).toBe(401);
  });

  it('never locks out the demo customer, which is paying', async () => {
    const { demo, sandbox } = setup();
    sandbox.clock.advance(365 * DAY);
    expect((await demo.getMetricsData(metricsRequest(sandbox.integration))).reach?.values).toEqual(expect.any(Number));
  });
});

describe('the clock', () => {
  it('is read and moved through the control endpoints, forward only, with the merchant token', async () => {
    const { control, connect } = setup({ now: '2030-01-01T00:00:00Z' });
    const before = await control('GET', '/clock');
    expect(before.status).toBe(200);
    expect(Date.parse(before.body.now)).toBeGreaterThanOrEqual(Date.parse('2030-01-01T00:00:00Z'));

    const advanced = await control('POST', '/clock', { advanceSeconds: 3 * DAY });
    expect(advanced.status).toBe(200);
    expect(advanced.body.now.startsWith('2030-01-04T00:0')).toBe(true);
    expect((await connect.createCustomer({ name: 'Later' })).customer.created_at.startsWith('2030-01-04 00:0')).toBe(true);

    const set = await control('POST', '/clock', { now: '2031-06-01T08:30:00+02:00' });
    expect(set.body.now.startsWith('2031-06-01T06:30:0')).toBe(true);

    const dates = ['2032-02-30T00:00:00Z', '2031-02-29T00:00:00Z', '2032-04-31T00:00:00Z', '2032-13-01T00:00:00Z', '2032-01-01T24:00:00Z', '2032-01-01T00:60:00Z'];
    for (const body of [{ now: '2020-01-01T00:00:00Z' }, { advanceSeconds: -1 }, { now: 'tomorrow' }, {}, { advanceSeconds: 1, now: '2040-01-01T00:00:00Z' }, ...dates.map((now) => ({ now }))]) {
      const refused = await control('POST', '/clock', body);
      expect(refused.status).toBe(422);
      expect(refused.body.errors).toBeTypeOf('object');
    }
    // None of them moved the clock (2032-02-30 once moved it to March 2); a leap day is a date.
    expect((await control('GET', '/clock')).body.now.startsWith('2031-06-01T06:30:0')).toBe(true);
    expect((await control('POST', '/clock', { now: '2032-02-29T00:00:00Z' })).body.now.startsWith('2032-02-29T00:00:0')).toBe(true);
    expect((await control('GET', '/clock', undefined, 'wrong')).status).toBe(401);
    expect((await control('POST', '/clock', { advanceSeconds: 1 }, 'wrong')).status).toBe(401);
  });

  it('is also in the sandbox object, forward only', () => {
    const { sandbox } = setup({ now: '2030-01-01T00:00:00Z' });
    const start = sandbox.clock.now().getTime();
    expect(sandbox.clock.advance(60).getTime()).toBeGreaterThanOrEqual(start + 60_000);
    expect(sandbox.clock.set('2030-02-01T00:00:00Z').toISOString()).toMatch(/^2030-02-01T00:00:0/);
    expect(() => sandbox.clock.set('2029-01-01T00:00:00Z')).toThrow(ClockError);
  });

  it('expires integration sessions after 5 minutes', async () => {
    const { demo, sandbox, call } = setup({ now: '2030-01-01T00:00:00Z' });
    const { integration_session: session } = await demo.createIntegrationSession({ redirect_url: 'https://example.com/done', locale: 'pt_br' });
    expect(Date.parse(session.expires_at) - sandbox.clock.now().getTime()).toBeGreaterThan(299_000);
    expect(Date.parse(session.expires_at) - sandbox.clock.now().getTime()).toBeLessThanOrEqual(300_000);
    expect(session).toMatchObject({ redirect_url: 'https://example.com/done', customer_uuid: sandbox.demo.uuid });
    expect((await fetchPage(sandbox, session.session_link)).status).toBe(200);

    sandbox.clock.advance(301);
    expect((await fetchPage(sandbox, session.session_link)).status).toBe(401);
    const refused = await call('DELETE', `/customer-integrations/${sandbox.integration}?session_id=${session.session_uuid}`, { customerToken: sandbox.customerToken });
    expect(refused.status).toBe(422);
    expect(Object.keys(refused.body.errors)).toEqual(['session_id']);
  });
});

function fetchPage(sandbox: { fetch: typeof fetch }, link: string) {
  return sandbox.fetch(link);
}
