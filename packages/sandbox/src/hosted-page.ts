import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { networkBySlug, networks } from './catalogue.js';
import { formatTimestamp } from './clock.js';
import { languageFor, messagesFor, type Messages } from './locales.js';
import type { FieldErrors } from './validation.js';
import type { Runtime } from './runtime.js';
import type { IntegrationRecord, SessionRecord } from './store.js';

/** What the page needs of the sandbox. */
export interface PageConfig {
  runtime: Runtime;
  maxBodyBytes: number;
  /** The merchant's default `redirect_url` (`--redirect-url`), if any. */
  redirectUrl: string | undefined;
}

/**
 * The hosted integration page, where a customer connects and disconnects networks, at the same path
 * as in production: `/customer-integrations/session/<session_uuid>` on the sandbox's origin. Plain
 * HTML forms (POST, then a redirect back), no script and no outside assets. The session's uuid is the
 * secret: no token is needed.
 */
export const PAGE_PREFIX = '/customer-integrations';
/** Where the page's final button leads when neither the session nor the sandbox names a `redirect_url`. */
export const DONE_PATH: string = `${PAGE_PREFIX}/done`;
const MAX_SOURCE_NAME = 255;

export const sessionPath = (uuid: string) => `${PAGE_PREFIX}/session/${uuid}`;

/** A session the page may serve, or why not (`unknown`, `expired`: both answer 401). */
export type OpenedSession = { ok: true; session: SessionRecord } | { ok: false; reason: 'unknown' | 'expired'; session?: SessionRecord };

export function openSession(runtime: Runtime, uuid: string): OpenedSession {
  const session = runtime.store.session(uuid);
  if (!session || !runtime.store.customer(session.customer)) return { ok: false, reason: 'unknown' };
  if (session.expiresAt <= runtime.clock.nowMs()) return { ok: false, reason: 'expired', session };
  return { ok: true, session };
}

/**
 * Connects a network for the session's customer, as the page's button does: `active`, named
 * `sourceName` (trimmed; a made-up name when empty). Answers the field errors when the input is refused.
 */
export function connectThroughSession(
  runtime: Runtime,
  session: SessionRecord,
  input: { integration: unknown; sourceName?: unknown; status?: IntegrationRecord['status'] },
): { ok: true; integration: IntegrationRecord } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  if (typeof input.integration !== 'string' || !networkBySlug(input.integration)) {
    errors.integration = ['The integration field must be the slug of a network of available_integrations, such as instagram_business.'];
  }
  let sourceName: string | undefined;
  if (input.sourceName !== undefined && input.sourceName !== null) {
    if (typeof input.sourceName !== 'string') errors.source_name = ['The source name field must be a string.'];
    else if (input.sourceName.trim().length > MAX_SOURCE_NAME) errors.source_name = [`The source name field must not be greater than ${MAX_SOURCE_NAME} characters.`];
    else sourceName = input.sourceName.trim() || undefined;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const integration = runtime.change(() => runtime.store.connectIntegration(session.customer, input.integration as string, input.status ?? 'active', runtime.clock.nowMs(), sourceName));
  return { ok: true, integration };
}

/** Where the final button leads: the session's `redirect_url`, else the sandbox's, else its own "done" page. */
function redirectTarget(config: PageConfig, session: SessionRecord, origin: string, language: string): string {
  return session.redirectUrl ?? config.redirectUrl ?? `${origin}${DONE_PATH}?locale=${language}`;
}

/** The networks as the page lists them: by name. */
const byName = [...networks].sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }));

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (character) => ESCAPES[character]!);

const STYLE = `
:root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2330; background: #f4f6fa; }
body { margin: 0; }
main { max-width: 44rem; margin: 2rem auto; padding: 2rem; background: #fff; border-radius: 12px; box-shadow: 0 1px 4px rgba(0,0,0,.08); }
h1 { margin: 0 0 .5rem; font-size: 1.6rem; }
h2 { margin: 2rem 0 .75rem; font-size: 1.15rem; }
.sandbox { display: inline-block; margin: 0 0 1rem; padding: .25rem .6rem; border-radius: 999px; background: #fff4d6; color: #7a5300; font-size: .85rem; }
.expires { color: #5b6475; font-size: .9rem; }
.notice { padding: .6rem .8rem; border-radius: 8px; background: #e6f6ec; color: #17603a; }
.error { padding: .6rem .8rem; border-radius: 8px; background: #fdecec; color: #8d1c1c; }
ul { list-style: none; margin: 0; padding: 0; }
li { display: flex; align-items: center; gap: .6rem; padding: .55rem 0; border-bottom: 1px solid #eceff4; }
li form { display: flex; align-items: center; gap: .5rem; margin: 0 0 0 auto; }
.network { font-weight: 600; min-width: 11rem; }
.account { color: #3c4454; }
.status { padding: .1rem .5rem; border-radius: 999px; font-size: .8rem; background: #eceff4; }
.status-active { background: #e6f6ec; color: #17603a; }
.status-expired, .status-revoked { background: #fdecec; color: #8d1c1c; }
input[type=text] { padding: .4rem .5rem; border: 1px solid #c8cfdb; border-radius: 6px; font: inherit; width: 13rem; }
button, .button { padding: .45rem .9rem; border: 0; border-radius: 6px; background: #2f5bea; color: #fff; font: inherit; cursor: pointer; text-decoration: none; display: inline-block; }
button.secondary { background: #eceff4; color: #1d2330; }
.finish { margin-top: 2rem; text-align: right; }
`;

function document(messages: Messages, title: string, body: string): string {
  return `<!doctype html>
<html lang="${messages.htmlLang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

/** No script, no outside assets, no framing, and the session's URL never sent on as a referrer. */
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

const html = (status: number, body: string, headers: Record<string, string> = {}) => new Response(body, { status, headers: { ...PAGE_HEADERS, ...headers } });

interface PageState {
  notice?: string | undefined;
  error?: string | undefined;
}

function sessionPage(config: PageConfig, session: SessionRecord, origin: string, messages: Messages, language: string, state: PageState): string {
  const { store } = config.runtime;
  const customer = store.customer(session.customer)!;
  const merchant = store.merchant.name;
  const base = sessionPath(session.uuid);
  const connected = store.integrationsOf(customer.uuid);
  const connectedList =
    connected.length === 0
      ? `<p class="none">${escapeHtml(messages.noneConnected)}</p>`
      : `<ul class="connected">
${connected
  .map((integration) => {
    const network = networkBySlug(integration.slug)?.name ?? integration.slug;
    return `<li data-integration="${escapeHtml(integration.uuid)}" data-slug="${escapeHtml(integration.slug)}">
<span class="network">${escapeHtml(network)}</span>
<span class="account">${escapeHtml(integration.sourceName)}</span>
<span class="status status-${integration.status}">${escapeHtml(messages.status[integration.status])}</span>
<form method="post" action="${base}/disconnect">
<input type="hidden" name="customer_integration" value="${escapeHtml(integration.uuid)}">
<button type="submit" class="secondary" aria-label="${escapeHtml(`${messages.disconnect}: ${network}, ${integration.sourceName}`)}">${escapeHtml(messages.disconnect)}</button>
</form>
</li>`;
  })
  .join('\n')}
</ul>`;
  const available = byName
    .map(
      (network) => `<li data-slug="${escapeHtml(network.slug)}">
<label class="network" for="account-${escapeHtml(network.slug)}">${escapeHtml(network.name)}</label>
<form method="post" action="${base}/connect">
<input type="hidden" name="integration" value="${escapeHtml(network.slug)}">
<input type="text" id="account-${escapeHtml(network.slug)}" name="source_name" maxlength="${MAX_SOURCE_NAME}" placeholder="${escapeHtml(messages.accountPlaceholder)}" required aria-label="${escapeHtml(messages.accountLabel(network.name))}">
<button type="submit" aria-label="${escapeHtml(`${messages.connect}: ${network.name}`)}">${escapeHtml(messages.connect)}</button>
</form>
</li>`,
    )
    .join('\n');
  const body = `<p class="sandbox">${escapeHtml(messages.sandboxNote)}</p>
<h1>${escapeHtml(messages.title)}</h1>
<p class="intro">${escapeHtml(messages.intro(merchant, customer.name))}</p>
<p class="expires">${escapeHtml(messages.expiresAt(formatTimestamp(session.expiresAt)))}</p>
${state.notice ? `<p class="notice" role="status">${escapeHtml(state.notice)}</p>` : ''}
${state.error ? `<p class="error" role="alert">${escapeHtml(state.error)}</p>` : ''}
<section aria-labelledby="connected-heading">
<h2 id="connected-heading">${escapeHtml(messages.connectedHeading)}</h2>
${connectedList}
</section>
<section aria-labelledby="available-heading">
<h2 id="available-heading">${escapeHtml(messages.availableHeading)}</h2>
<ul class="networks">
${available}
</ul>
</section>
<p class="finish"><a class="button" id="finish" href="${escapeHtml(redirectTarget(config, session, origin, language))}">${escapeHtml(messages.finish(merchant))}</a></p>`;
  return document(messages, `${messages.title} · ${merchant}`, body);
}

function problemPage(messages: Messages, title: string, text: string): string {
  return document(messages, title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(text)}</p>`);
}

/** The 401 page of an unknown or expired session, in its language when the session is known. */
function refusedPage(runtime: Runtime, opened: Extract<OpenedSession, { ok: false }>, acceptLanguage: string | undefined): Response {
  const messages = messagesFor(languageFor(opened.session?.locale, acceptLanguage));
  const page =
    opened.reason === 'expired'
      ? problemPage(messages, messages.expiredTitle, messages.expiredBody(runtime.store.merchant.name))
      : problemPage(messages, messages.unknownTitle, messages.unknownBody);
  return html(401, page);
}

/** The page's routes, mounted at {@link PAGE_PREFIX}. */
export function pageRoutes(config: PageConfig): Hono {
  const { runtime } = config;
  const page = new Hono();
  const limit = bodyLimit({ maxSize: config.maxBodyBytes, onError: () => new Response('Request body too large.', { status: 413 }) });
  const origin = (c: Context) => new URL(c.req.url).origin;
  const accept = (c: Context) => c.req.header('accept-language');
  const languageOf = (c: Context, session: SessionRecord) => languageFor(session.locale, accept(c));
  const form = async (c: Context) => new URLSearchParams(await c.req.text());
  const back = (session: SessionRecord, query: string) => new Response(null, { status: 303, headers: { location: `${sessionPath(session.uuid)}?${query}`, 'cache-control': 'no-store' } });

  page.get('/session/:uuid', (c) => {
    const opened = openSession(runtime, c.req.param('uuid'));
    if (!opened.ok) return refusedPage(runtime, opened, accept(c));
    const { session } = opened;
    const language = languageOf(c, session);
    const messages = messagesFor(language);
    const connected = networkBySlug(c.req.query('connected') ?? '');
    const disconnected = networkBySlug(c.req.query('disconnected') ?? '');
    const notice = connected ? messages.connectedNotice(connected.name) : disconnected ? messages.disconnectedNotice(disconnected.name) : undefined;
    const error = c.req.query('error') === 'gone' ? messages.alreadyGone : undefined;
    return html(200, sessionPage(config, session, origin(c), messages, language, { notice, error }));
  });

  page.post('/session/:uuid/connect', limit, async (c) => {
    const opened = openSession(runtime, c.req.param('uuid'));
    if (!opened.ok) return refusedPage(runtime, opened, accept(c));
    const { session } = opened;
    const fields = await form(c);
    const sourceName = fields.get('source_name') ?? '';
    const language = languageOf(c, session);
    const messages = messagesFor(language);
    // A person connecting an account names it: the page asks rather than making a name up.
    if (sourceName.trim() === '') return html(422, sessionPage(config, session, origin(c), messages, language, { error: messages.accountRequired }));
    const result = connectThroughSession(runtime, session, { integration: fields.get('integration'), sourceName });
    if (!result.ok) {
      const error = result.errors.integration ? messages.unknownNetwork : messages.accountTooLong(MAX_SOURCE_NAME);
      return html(422, sessionPage(config, session, origin(c), messages, language, { error }));
    }
    return back(session, `connected=${encodeURIComponent(result.integration.slug)}`);
  });

  page.post('/session/:uuid/disconnect', limit, async (c) => {
    const opened = openSession(runtime, c.req.param('uuid'));
    if (!opened.ok) return refusedPage(runtime, opened, accept(c));
    const { session } = opened;
    const integration = runtime.store.integrationOf(session.customer, (await form(c)).get('customer_integration') ?? '');
    if (!integration) return back(session, 'error=gone');
    runtime.change(() => runtime.store.deleteIntegration(integration));
    return back(session, `disconnected=${encodeURIComponent(integration.slug)}`);
  });

  page.get('/done', (c) => {
    const messages = messagesFor(languageFor(c.req.query('locale'), accept(c)));
    return html(200, problemPage(messages, messages.doneTitle, messages.doneBody));
  });

  page.all('*', (c) =>
    html(404, problemPage(messagesFor(languageFor(undefined, accept(c))), 'Not found', `Nothing at ${c.req.method} ${c.req.path}: integration sessions are at ${PAGE_PREFIX}/session/<session_uuid>.`)),
  );
  return page;
}
