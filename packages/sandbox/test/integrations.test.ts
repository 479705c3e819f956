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

    // The session is checked before the integration: another customer's session is a 422 whatever the uuid.
    const { integration_session: mine } = await demo.createIntegrationSession({});
    for (const uuid of [theirs, sandbox.integration, 'caedbbbe-7d93-476f-b965-bf97cd7ce874']) {
      const error = await rejection(other.deleteCustomerIntegration({ uuid, session_id: mine.session_uuid }));
      expect(error.status).toBe(422);
      expect(Object.keys(error.errors)).toEqual(['session_id']);
    }
    const unknown = await rejection(other.deleteCustomerIntegration({ uuid: theirs, session_id: 'caedbbbe-7d93-476f-b965-bf97cd7ce874' }));
    expect(unknown.status).toBe(422);
    expect(Object.keys(unknown.errors)).toEqual(['session_id']);
    // With a current session of its own: another customer's integration, or none, is a 404.
    const { integration_session: theirSession } = await other.createIntegrationSession({});
    expect((await rejection(other.deleteCustomerIntegration({ uuid: sandbox.integration, session_id: theirSession.session_uuid }))).status).toBe(404);
    expect((await rejection(other.deleteCustomerIntegration({ uuid: 'caedbbbe-7d93-476f-b965-bf97cd7ce874', session_id: theirSession.session_uuid }))).status).toBe(404);
    expect(await other.deleteCustomerIntegration({ uuid: theirs, session_id: theirSession.session_uuid })).toMatchObject({ success: true });
  });

  it('requires session_id to delete, by the spec', async () => {
    const { call, sandbox } = setup();
    const response = await call('DELETE', `/customer-integrations/${sandbox.integration}`, { customerToken: sandbox.customerToken });
    expect(response.status).toBe(422);
    expect(response.body.errors).toEqual({ session_id: ['The session id field is required.'] });
  });

  it('refuses a session that has expired, and checks auth before the session', async () => {
    const { demo, sandbox, call } = setup();
    const { integration_session: session } = await demo.createIntegrationSession({});
    const unauthenticated = await call('DELETE', `/customer-integrations/${sandbox.integration}?session_id=${session.session_uuid}`, { customerToken: 'nobody' });
    expect(unauthenticated.status).toBe(401);
    sandbox.clock.advance(300);
    const expired = await rejection(demo.deleteCustomerIntegration({ uuid: 'caedbbbe-7d93-476f-b965-bf97cd7ce874', session_id: session.session_uuid }));
    expect(expired.status).toBe(422);
    expect(expired.errors.session_id).toEqual([expect.stringMatching(/expired/)]);
  });

  it('refuses a redirect_url that is not a web address', async () => {
    const { call, sandbox } = setup();
    const refused = await call('POST', '/customer-integrations/session', { customerToken: sandbox.customerToken, body: { redirect_url: 'javascript:alert(1)' } });
    expect(refused.status).toBe(422);
    expect(Object.keys(refused.body.errors)).toEqual(['redirect_url']);
  });
});
