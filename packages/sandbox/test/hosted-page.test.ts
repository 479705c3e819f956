// The hosted integration page and the sandbox endpoints that stand in for it, without a browser (the
// browser test is page.browser.test.ts).
import { describe, expect, it } from 'vitest';
import { networks } from '../src/catalogue.js';
import { escapeHtml } from '../src/hosted-page.js';
import { rejection, setup } from './helpers.js';

type Setup = ReturnType<typeof setup>;

async function newCustomer({ connect }: Setup, name = 'Page Customer') {
  const { customer } = await connect.createCustomer({ name });
  return { customer, client: connect.forCustomer(customer.api_token) };
}

/** A POST of the page's form, as a browser sends it; the redirect is not followed. */
function submit({ sandbox }: Setup, url: string, fields: Record<string, string>) {
  return sandbox.fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString(), redirect: 'manual' });
}

const page = async ({ sandbox }: Setup, url: string, headers: Record<string, string> = {}) => {
  const response = await sandbox.fetch(url, { headers });
  return { status: response.status, headers: response.headers, text: await response.text() };
};

describe('the hosted integration page', () => {
  it('is served at the session_link, at the path production uses, as a self-contained HTML page', async () => {
    const context = setup();
    const { customer, client } = await newCustomer(context);
    const { integration_session: session } = await client.createIntegrationSession({ redirect_url: 'https://merchant.example/back?from=connect' });
    expect(session.session_link).toBe(`${new URL(context.sandbox.baseUrl).origin}/customer-integrations/session/${session.session_uuid}`);
    expect(session).toMatchObject({ merchant: 'Sandbox Merchant', customer: 'Page Customer', customer_uuid: customer.uuid, redirect_url: 'https://merchant.example/back?from=connect' });

    const { status, headers, text } = await page(context, session.session_link);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(headers.get('referrer-policy')).toBe('no-referrer');
    expect(text).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(text).toContain('Sandbox Merchant asks Page Customer to connect the accounts');
    expect(text).toContain('No account connected yet.');
    // Every network of the catalogue, by its name, with a form to connect it.
    for (const network of networks) {
      expect(text).toContain(`<label class="network" for="account-${network.slug}">${escapeHtml(network.name)}</label>`);
      expect(text).toContain(`<input type="hidden" name="integration" value="${network.slug}">`);
    }
    // The final button leads to the session's redirect_url.
    expect(text).toContain('<a class="button" id="finish" href="https://merchant.example/back?from=connect">Done: back to Sandbox Merchant</a>');
    // Nothing from outside: no script, no external stylesheet, image or font.
    expect(text).not.toMatch(/<script|<link rel="stylesheet"|<img|https?:\/\/(?!merchant\.example)/);
  });

  it('connects a network with the account name typed, at once visible through the API, and disconnects it', async () => {
    const context = setup();
    const { client } = await newCustomer(context);
    const { integration_session: session } = await client.createIntegrationSession({});

    const connected = await submit(context, `${session.session_link}/connect`, { integration: 'youtube', source_name: '  My <Channel>  ' });
    expect(connected.status).toBe(303);
    expect(connected.headers.get('location')).toBe(`/customer-integrations/session/${session.session_uuid}?connected=youtube`);
    const { data } = await client.listCustomerIntegrations();
    expect(data).toEqual([expect.objectContaining({ source_name: 'My <Channel>', status: 'active', integration: { name: 'YouTube', slug: 'youtube' } })]);
    const integration = data[0]!;

    const after = await page(context, new URL(connected.headers.get('location')!, session.session_link).href);
    expect(after.text).toContain('<p class="notice" role="status">YouTube connected.</p>');
    expect(after.text).toContain(`<li data-integration="${integration.uuid}" data-slug="youtube">`);
    // What the customer typed is shown as text, never as markup.
    expect(after.text).toContain('<span class="account">My &lt;Channel&gt;</span>');
    expect(after.text).not.toContain('<Channel>');

    // An empty account name is asked for, not made up, and nothing is connected.
    for (const empty of ['', '   ']) {
      const refused = await submit(context, `${session.session_link}/connect`, { integration: 'facebook', source_name: empty });
      expect(refused.status).toBe(422);
      expect(await refused.text()).toContain('Type the name of the account to connect.');
    }
    expect((await client.listCustomerIntegrations()).data).toHaveLength(1);
    expect(after.text).toMatch(/name="source_name"[^>]* required/);
    expect((await submit(context, `${session.session_link}/connect`, { integration: 'facebook', source_name: 'Acme Page' })).status).toBe(303);
    const facebook = (await client.listCustomerIntegrations()).data[1]!;
    expect(facebook.source_name).toBe('Acme Page');

    const disconnected = await submit(context, `${session.session_link}/disconnect`, { customer_integration: integration.uuid });
    expect(disconnected.status).toBe(303);
    expect(disconnected.headers.get('location')).toBe(`/customer-integrations/session/${session.session_uuid}?disconnected=youtube`);
    expect((await rejection(client.getCustomerIntegration({ uuid: integration.uuid }))).status).toBe(404);
    expect((await client.listCustomerIntegrations()).data.map((each) => each.uuid)).toEqual([facebook.uuid]);
    expect((await page(context, new URL(disconnected.headers.get('location')!, session.session_link).href)).text).toContain('YouTube disconnected.');

    // Disconnecting what is gone, or another customer's integration, changes nothing.
    const again = await submit(context, `${session.session_link}/disconnect`, { customer_integration: integration.uuid });
    expect(again.headers.get('location')).toMatch(/\?error=gone$/);
    const notMine = await submit(context, `${session.session_link}/disconnect`, { customer_integration: context.sandbox.integration });
    expect(notMine.headers.get('location')).toMatch(/\?error=gone$/);
    expect((await context.demo.getCustomerIntegration({ uuid: context.sandbox.integration })).customer_integration.status).toBe('active');
  });

  it('answers 422 with the page for an unknown network or an account name too long', async () => {
    const context = setup();
    const { client } = await newCustomer(context);
    const { integration_session: session } = await client.createIntegrationSession({});
    const unknown = await submit(context, `${session.session_link}/connect`, { integration: 'myspace', source_name: 'x' });
    expect(unknown.status).toBe(422);
    expect(await unknown.text()).toContain('<p class="error" role="alert">Choose one of the networks listed.</p>');
    const long = await submit(context, `${session.session_link}/connect`, { integration: 'youtube', source_name: 'x'.repeat(256) });
    expect(long.status).toBe(422);
    expect((await client.listCustomerIntegrations()).meta.total).toBe(0);
  });

  it("speaks the session's locale: Brazilian Portuguese, Spanish, else English (or the browser's language)", async () => {
    const context = setup();
    const { client } = await newCustomer(context, 'Cliente');
    const link = async (locale?: string) => (await client.createIntegrationSession(locale === undefined ? {} : { locale })).integration_session.session_link;

    const portuguese = await page(context, await link('pt_br'));
    expect(portuguese.text).toContain('<html lang="pt-BR">');
    expect(portuguese.text).toContain('<h1>Conecte suas contas</h1>');
    expect(portuguese.text).toContain('Nenhuma conta conectada ainda.');
    expect(portuguese.text).toContain('>Conectar</button>');
    expect(portuguese.text).toContain('Concluir e voltar para Sandbox Merchant');
    expect((await page(context, await link('pt'))).text).toContain('<h1>Conecte suas contas</h1>');
    expect((await page(context, await link('es'))).text).toContain('<h1>Conecta tus cuentas</h1>');
    expect((await page(context, await link('en'))).text).toContain('<h1>Connect your accounts</h1>');
    // A language the sandbox does not have: the browser's, else English.
    const french = await link('fr');
    expect((await page(context, french)).text).toContain('<h1>Connect your accounts</h1>');
    expect((await page(context, french, { 'accept-language': 'fr-FR, pt-BR;q=0.8' })).text).toContain('<h1>Conecte suas contas</h1>');
    // Without a redirect_url, the final button leads to the sandbox's own page, in the same language.
    const done = /<a class="button" id="finish" href="([^"]+)">/.exec(portuguese.text)![1]!;
    expect(done).toBe(`${new URL(context.sandbox.baseUrl).origin}/customer-integrations/done?locale=pt_br`);
    const donePage = await page(context, done);
    expect(donePage.status).toBe(200);
    expect(donePage.text).toContain('Tudo pronto');
  });

  it('answers 401 with a page saying so when the session expired (after 5 minutes on the sandbox clock) or is unknown', async () => {
    const context = setup();
    const { client } = await newCustomer(context);
    const { integration_session: session } = await client.createIntegrationSession({ locale: 'pt_br' });
    context.sandbox.clock.advance(299);
    expect((await page(context, session.session_link)).status).toBe(200);
    context.sandbox.clock.advance(1);

    const expired = await page(context, session.session_link);
    expect(expired.status).toBe(401);
    expect(expired.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(expired.text).toContain('<h1>Este link expirou</h1>');
    const tooLate = await submit(context, `${session.session_link}/connect`, { integration: 'youtube', source_name: 'late' });
    expect(tooLate.status).toBe(401);
    expect((await client.listCustomerIntegrations()).meta.total).toBe(0);

    const unknown = await page(context, `${new URL(context.sandbox.baseUrl).origin}/customer-integrations/session/caedbbbe-7d93-476f-b965-bf97cd7ce874`);
    expect(unknown.status).toBe(401);
    expect(unknown.text).toContain('<h1>This link is not valid</h1>');
    const garbage = await page(context, `${new URL(context.sandbox.baseUrl).origin}/customer-integrations/session/..%2F..%2Fetc`);
    expect(garbage.status).toBe(401);
  });

  it("leads the final button to the sandbox's redirectUrl when the session names none, which getMerchantSettings reports", async () => {
    const context = setup({ redirectUrl: 'https://merchant.example/integrations' });
    const { client } = await newCustomer(context);
    const { integration_session: session } = await client.createIntegrationSession({});
    expect((await page(context, session.session_link)).text).toContain('id="finish" href="https://merchant.example/integrations"');
    expect((await context.connect.getMerchantSettings()).merchant.redirect_url).toBe('https://merchant.example/integrations');
    expect((await setup().connect.getMerchantSettings()).merchant.redirect_url).toBe('http://connect-sandbox.invalid/customer-integrations/done');
  });
});

describe('the sandbox endpoints for integrations', () => {
  it("POST /__sandbox/integration-sessions/<uuid>/connect does what the page's button does, and answers the integration as the API shows it", async () => {
    const context = setup();
    const { client } = await newCustomer(context);
    const { integration_session: session } = await client.createIntegrationSession({});
    // The session's uuid is the secret: no token needed, as on the page.
    const response = await context.sandbox.fetch(`${new URL(context.sandbox.baseUrl).origin}/__sandbox/integration-sessions/${session.session_uuid}/connect`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ integration: 'google_analytics_4', source_name: 'Site' }),
    });
    expect(response.status).toBe(201);
    const { customer_integration: created } = await response.json();
    expect(created).toMatchObject({ status: 'active', source_name: 'Site', integration: { slug: 'google_analytics_4', name: expect.any(String) } });
    expect((await client.getCustomerIntegration({ uuid: created.uuid })).customer_integration).toEqual(created);

    const connect = (body: unknown, uuid = session.session_uuid) => context.control('POST', `/integration-sessions/${uuid}/connect`, body);
    expect(await connect({ integration: 'myspace' })).toMatchObject({ status: 422, body: { errors: { integration: [expect.any(String)] } } });
    expect(await connect({})).toMatchObject({ status: 422, body: { errors: { integration: [expect.any(String)] } } });
    expect(await connect({ integration: 'youtube', status: 'lost' })).toMatchObject({ status: 422, body: { errors: { status: [expect.any(String)] } } });
    expect(await connect({ integration: 'youtube', source_name: 5 })).toMatchObject({ status: 422, body: { errors: { source_name: [expect.any(String)] } } });
    // A status other than active, for tests that need one.
    expect(await connect({ integration: 'youtube', status: 'revoked' })).toMatchObject({ status: 201, body: { customer_integration: { status: 'revoked' } } });
    expect((await connect({ integration: 'youtube' }, 'caedbbbe-7d93-476f-b965-bf97cd7ce874')).status).toBe(401);
    context.sandbox.clock.advance(300);
    expect(await connect({ integration: 'youtube' })).toMatchObject({ status: 401, body: { message: expect.stringMatching(/expired/) } });
  });

  it('POST /__sandbox/customer-integrations/<uuid>/status changes the status; only active integrations can be read for metrics', async () => {
    const context = setup();
    const { demo, sandbox, control } = context;
    const request = {
      customer_integration: sandbox.integration,
      start: '2025-01-01',
      end: '2025-01-07',
      metrics: [{ id: 'reach', reference_key: 'ig:reach', component: 'number_v1' as const, metrics: ['reach'] }],
    };
    for (const status of ['expired', 'revoked'] as const) {
      const changed = await control('POST', `/customer-integrations/${sandbox.integration}/status`, { status });
      expect(changed).toMatchObject({ status: 200, body: { customer_integration: { uuid: sandbox.integration, status } } });
      expect((await demo.getCustomerIntegration({ uuid: sandbox.integration })).customer_integration).toEqual(changed.body.customer_integration);
      for (const call of [() => demo.getMetricsData(request), () => demo.getMetricsDataAsync({ ...request, metrics_webhook_url: 'http://127.0.0.1:9/hook' })]) {
        const error = await rejection(call());
        expect(error.status).toBe(422);
        expect(Object.keys(error.errors)).toEqual(['customer_integration']);
      }
    }
    expect((await control('POST', `/customer-integrations/${sandbox.integration}/status`, { status: 'active' })).body.customer_integration.status).toBe('active');
    expect((await demo.getMetricsData(request)).reach).toBeDefined();

    expect((await control('POST', `/customer-integrations/${sandbox.integration}/status`, { status: 'paused' })).status).toBe(422);
    expect((await control('POST', '/customer-integrations/caedbbbe-7d93-476f-b965-bf97cd7ce874/status', { status: 'active' })).status).toBe(404);
    expect((await control('POST', `/customer-integrations/${sandbox.integration}/status`, { status: 'expired' }, 'wrong-token')).status).toBe(401);
    expect(sandbox.webhooks.deliveries()).toEqual([]);
  });
});
