import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import type { RateLimitState } from '../rate-limit.js';

/** Where the API is served, as in production (`https://connect.reportei.com/api`). */
export const API_PREFIX = '/api';
/** The sandbox's own endpoints, at the origin, outside the API. */
export const CONTROL_PREFIX = '/__sandbox';
/** The request header that makes one request fail on purpose. */
export const FAULT_HEADER = 'x-sandbox-fault';
export const FAULTS = ['500', '429', 'timeout', 'reset'] as const;

/**
 * Marks a response that stands for a connection closed without an answer. A header, because
 * middleware may copy the response; it never reaches a client (over HTTP the socket is gone, and the
 * in-process fetch rejects instead).
 */
export const DROPPED_HEADER = 'x-connect-sandbox-dropped';

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** Closes the connection without answering: the socket over HTTP; the in-process fetch sees the mark and rejects. */
export function dropConnection(c: Context): Response {
  (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket.destroy();
  return new Response(null, { status: 500, headers: { [DROPPED_HEADER]: '1' } });
}

export function bearerToken(c: Context): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '')?.[1];
}

export const rateHeaders = (state: Pick<RateLimitState, 'limit' | 'remaining'>): Record<string, string> => ({
  'X-RateLimit-Limit': String(state.limit),
  'X-RateLimit-Remaining': String(state.remaining),
});

/** Requests held by the `timeout` fault, each released (its connection dropped) by calling it. */
export type HungRequests = Set<() => void>;
