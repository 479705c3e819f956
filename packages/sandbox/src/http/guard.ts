import { isIP } from 'node:net';
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { json } from './respond.js';

/**
 * Who may reach the sandbox from a browser. Any website a developer visits could otherwise call it:
 * by its own origin (CORS), or through a name of its own that it points at 127.0.0.1 (DNS rebinding).
 * So, as Vite's dev server does, the sandbox answers only `Host` names it is known by, and pages from
 * loopback origins or origins it was told of, and refuses everything else before the API sees it.
 */
export interface GuardOptions {
  /** The hosts the sandbox listens on (`--host`), names it may be reached by. */
  hosts: ReadonlySet<string>;
  /** Origins allowed besides loopback ones (`--allow-origin`), such as `https://app.example`. */
  allowOrigins: readonly string[];
  /** The in-process fetch's origin: it never crosses a network. */
  inProcessHost: string;
}

/** The host name of a `Host` header or origin, without port or brackets, lower case. */
function hostnameOf(host: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(host);
  if (bracketed) return bracketed[1]!.toLowerCase();
  return host.replace(/:\d+$/, '').toLowerCase();
}

const isLoopbackName = (name: string) => name === 'localhost' || name.endsWith('.localhost') || name === '::1' || /^127\.\d+\.\d+\.\d+$/.test(name);

/** Whether the `Host` header names the sandbox: loopback names, any IP address (no name to rebind), the --host given. */
export function hostAllowed(header: string, options: GuardOptions): boolean {
  if (header === '') return false;
  const name = hostnameOf(header);
  return isLoopbackName(name) || isIP(name) !== 0 || name === options.inProcessHost || [...options.hosts].some((host) => name === hostnameOf(host));
}

/** Whether a page of `origin` may call the sandbox: a loopback origin on any port, or one allowed with --allow-origin. */
function originAllowed(origin: string, options: GuardOptions): boolean {
  if (options.allowOrigins.includes(origin)) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackName(hostnameOf(url.host));
}

/**
 * Refuses, with 403, requests whose `Host` the sandbox does not answer (everywhere), and calls to the
 * API and the sandbox endpoints from pages of origins it does not allow (`checkOrigin`); adds CORS
 * headers for allowed origins. The hosted page's forms are not origin-checked: its session's uuid is
 * the secret, and with its no-referrer policy browsers send them as `Origin: null`.
 */
export function guard(options: GuardOptions, allowHeaders: string[]): { host: MiddlewareHandler; origin: MiddlewareHandler; cors: MiddlewareHandler } {
  const host: MiddlewareHandler = async (c, next) => {
    // The URL's host is the Host header over HTTP, and the in-process origin's name in-process.
    const { host } = new URL(c.req.url);
    if (!hostAllowed(host, options)) {
      return json(403, {
        message: `Refused: the Host header "${host}" is not a name of this sandbox (a guard against DNS rebinding); use http://127.0.0.1:<port>, or start the sandbox with --host ${hostnameOf(host)}.`,
      });
    }
    return next();
  };
  const origin: MiddlewareHandler = async (c, next) => {
    const origin = c.req.header('origin');
    if (origin !== undefined && origin !== new URL(c.req.url).origin && !originAllowed(origin, options)) {
      return json(403, { message: `Refused: pages from ${origin} may not call the sandbox (only loopback origins may); start it with --allow-origin ${origin} to allow them.` });
    }
    return next();
  };
  const corsHeaders = cors({
    origin: (origin) => (originAllowed(origin, options) ? origin : null),
    allowHeaders,
    exposeHeaders: ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'Retry-After', 'Allow'],
  });
  return { host, origin, cors: corsHeaders };
}
