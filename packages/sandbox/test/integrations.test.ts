import { describe, expect, it } from 'vitest';
import { rejection, setup } from './helpers.js';

describe('customer integrations', () => {
  it("lists, shows and deletes the customer's own integrations", async () => {
    const { demo, sandbox } = setup();
    const { data, meta } = await demo.listCustomerIntegrations();
    expect(data.map(({ integration, status }) => [integration.slug, status])).toEqual([
      ['instagram_business', 'active'],
      ['facebook', 'expired'],
    ]);
    expect(meta).toMatchObject({ total: 2, current_page: 1, last_page: 1, per_page: 15, path: `${sandbox.baseUrl}/customer-integrations` });
    expect(data[0]!.uuid).toBe(sandbox.integration);

    const shown = await demo.getCustomerIntegration({ uuid: sandbox.integration });
    expect(shown.customer_integration).toEqual(data[0]);

    const settings = await demo.getCustomerSettings();
    expect(settings.customer.integrations).toEqual([
      { uuid: sandbox.integration, integration: 'Instagram Business', name: data[0]!.source_name, slug: 'instagram_business', status: 'active' },
      { uuid: data[1]!.uuid, integration: 'Facebook', name: data[1]!.source_name, slug: 'facebook', status: 'expired' },
    ]);

    const { integration_session: session } = await demo.createIntegrationSession({});
    expect(await demo.deleteCustomerIntegration({ uuid: data[1]!.uuid, session_id: session.session_uuid })).toMatchObject({ success: true });
    expect((await demo.listCustomerIntegrations()).meta.total).toBe(1);
    expect((await rejection(demo.getCustomerIntegration({ uuid: data[1]!.uuid }))).status).toBe(404);
    expect((await rejection(demo.deleteCustomerIntegration({ uuid: data[1]!.uuid, session_id: session.session_uuid }))).status).toBe(404);
  });

  it("answers 404 for another customer's integration, and refuses another customer's session", async () => {
    const { connect, demo, sandbox } = setup();
    const { customer } = await connect.createCustomer({ name: 'Other' });
    const other = connect.forCustomer(customer.api_token);
    const theirs = sandbox.connectIntegration(customer.uuid, 'youtube');
    expect((await other.listCustomerIntegrations()).data.map((each) => each.uuid)).toEqual([theirs]);
    expect((await rejection(other.getCustomerIntegration({ uuid: sandbox.integration }))).status).toBe(404);
    expect((await rejection(demo.getCustomerIntegration({ uuid: theirs }))).status).toBe(404);

    const { integration_session: mine } = await demo.createIntegrationSession({});
    expect((await rejection(other.deleteCustomerIntegration({ uuid: sandbox.integration, session_id: mine.session_uuid }))).status).toBe(404);
    const error = await rejection(other.deleteCustomerIntegration({ uuid: theirs, session_id: mine.session_uuid }));
    expect(error.status).toBe(422);
    expect(Object.keys(error.errors)).toEqual(['session_id']);
    const missing = await rejection(other.deleteCustomerIntegration({ uuid: theirs, session_id: 'caedbbbe-7d93-476f-b965-bf97cd7ce874' }));
    expect(missing.status).toBe(422);
  });

  it('requires session_id to delete, by the spec', async () => {
    const { call, sandbox } = setup();
    const response = await call('DELETE', `/customer-integrations/${sandbox.integration}`, { customerToken: sandbox.customerToken });
    expect(response.status).toBe(422);
    expect(response.body.errors).toEqual({ session_id: ['The session id field is required.'] });
  });

  it("connects networks through the session's link, as the hosted page does", async () => {
    const { connect, sandbox } = setup();
    const { customer } = await connect.createCustomer({ name: 'Connector' });
    const client = connect.forCustomer(customer.api_token);
    const { integration_session: session } = await client.createIntegrationSession({ redirect_url: 'https://example.com/back' });
    expect(session.session_link).toBe(`${new URL(sandbox.baseUrl).origin}/__sandbox/sessions/${session.session_uuid}`);
    expect(session).toMatchObject({ merchant: 'Sandbox Merchant', customer: 'Connector', customer_uuid: customer.uuid });

    const page = await sandbox.fetch(session.session_link);
    expect(await page.json()).toMatchObject({ session_uuid: session.session_uuid, customer_uuid: customer.uuid, integrations: [] });
    const connected = await sandbox.fetch(`${session.session_link}/integrations`, { method: 'POST', body: JSON.stringify({ slug: 'google_analytics_4' }) });
    expect(connected.status).toBe(201);
    const { customer_integration: created } = await connected.json();
    expect(created).toMatchObject({ status: 'active', integration: { slug: 'google_analytics_4', name: expect.any(String) } });
    expect((await client.getCustomerIntegration({ uuid: created.uuid })).customer_integration).toEqual(created);

    const refused = await sandbox.fetch(`${session.session_link}/integrations`, { method: 'POST', body: JSON.stringify({ slug: 'myspace' }) });
    expect(refused.status).toBe(422);
  });
});
