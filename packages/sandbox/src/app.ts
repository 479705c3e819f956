import { Hono } from 'hono';
import { handlers } from './handlers.js';
import { DONE_PATH, PAGE_PREFIX, pageRoutes } from './hosted-page.js';
import { apiRoutes } from './http/api.js';
import { controlRoutes } from './http/control.js';
import { guard, type GuardOptions } from './http/guard.js';
import { API_PREFIX, CONTROL_PREFIX, FAULT_HEADER, json, type HungRequests } from './http/respond.js';
import type { RequestRecord, Runtime } from './runtime.js';
import type { ApiSpec } from './spec.js';

export interface AppConfig {
  spec: ApiSpec;
  runtime: Runtime;
  merchantToken: string;
  maxBodyBytes: number;
  /** The merchant's default `redirect_url`, when configured (else the sandbox's own "done" page). */
  redirectUrl: string | undefined;
  guard: GuardOptions;
  hung: HungRequests;
  onRequest: ((record: RequestRecord) => void) | undefined;
}

/** The whole sandbox as one fetch-style app: it only mounts the parts. */
export function createApp(config: AppConfig): Hono {
  const missing = config.spec.operations.filter((operation) => !(operation.id in handlers));
  if (missing.length > 0) throw new Error(`The sandbox has no handler for ${missing.map((operation) => operation.id).join(', ')}.`);

  const app = new Hono();
  const guards = guard(config.guard, ['Authorization', 'Content-Type', config.spec.customerHeader, FAULT_HEADER]);
  app.use('*', guards.host);
  for (const prefix of [API_PREFIX, CONTROL_PREFIX]) app.use(`${prefix}/*`, guards.origin, guards.cors);
  app.route(API_PREFIX, apiRoutes({ ...config, redirectUrl: (origin) => config.redirectUrl ?? `${origin}${DONE_PATH}` }));
  app.route(CONTROL_PREFIX, controlRoutes(config));
  app.route(PAGE_PREFIX, pageRoutes(config));
  app.all('*', (c) => json(404, { message: `Nothing here: the API is under ${API_PREFIX} (${new URL(c.req.url).origin}${API_PREFIX}), the sandbox's own endpoints under ${CONTROL_PREFIX} and the hosted integration pages under ${PAGE_PREFIX}/session/.` }));
  app.onError((error) => {
    console.error('connect-sandbox: unexpected error', error);
    return json(500, { message: `Server Error: ${error.message}` });
  });
  return app;
}
