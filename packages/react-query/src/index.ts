import { ConnectError, errorFromResponse, type ConnectClient, type CustomerClient, type paths } from '@reportei-connect/client';
import type { Client } from 'openapi-fetch';
import createQueryClient, { type OpenapiQueryClient } from 'openapi-react-query';

type SuccessStatus = 200 | 201 | 202 | 203 | 204 | 205 | 206 | '2XX';

/**
 * The type of `error` in every hook: the data of a `ConnectError` (which it is at run time, so
 * `error instanceof ConnectError` holds). openapi-fetch maps response types field by field, which would
 * turn the class's methods into empty objects; its data fields survive the mapping unchanged.
 */
export type ConnectErrorData = Pick<
  ConnectError,
  'name' | 'message' | 'status' | 'method' | 'path' | 'body' | 'errors' | 'retryAfter' | 'rateLimit'
>;

/** How every failure reaches the hooks, whatever the status. */
interface ConnectErrorResponse {
  headers: { [name: string]: unknown };
  content: { 'application/json': ConnectErrorData };
}

/** An operation of the spec whose non-2xx responses are typed as `ConnectErrorData`. */
type FailingWithConnectError<Operation> = Operation extends { responses: infer Responses }
  ? {
      [Key in keyof Operation]: Key extends 'responses'
        ? { [Status in keyof Responses]: Status extends SuccessStatus ? Responses[Status] : ConnectErrorResponse }
        : Operation[Key];
    }
  : Operation;

/** The API's `paths`, with every error response typed as `ConnectErrorData`: what the hooks see. */
export type ConnectQueryPaths = {
  [Path in keyof paths]: { [Method in keyof paths[Path]]: FailingWithConnectError<paths[Path][Method]> };
};

/**
 * `useQuery`, `useMutation`, `useSuspenseQuery`, `useInfiniteQuery` and `queryOptions` from
 * openapi-react-query, typed by the spec; their `error` is always a `ConnectError` (typed `ConnectErrorData`).
 */
export type ConnectQueryHooks = OpenapiQueryClient<ConnectQueryPaths>;

/** Any client from `@reportei-connect/client`: the merchant's or a customer's (`forCustomer`). */
export type ConnectQueryClient = Pick<ConnectClient | CustomerClient, 'raw'>;

/**
 * TanStack Query hooks for the Reportei Connect API, over `client.raw` (so with the client's auth,
 * retries and timeouts). Pass the merchant client for merchant calls, and `connect.forCustomer(token)`
 * for customer-scoped ones (customer integrations, metrics).
 *
 * Every failure, HTTP error or no response at all, reaches the hooks as a `ConnectError` with `status`,
 * `message`, `body`, `errors` (422), `retryAfter` and `rateLimit`.
 *
 * @example
 * const { useQuery } = createConnectQueryHooks(connect);
 * const { data, error } = useQuery('get', '/customers', { params: { query: { per_page: 50 } } });
 */
export function createConnectQueryHooks(client: ConnectQueryClient): ConnectQueryHooks {
  const raw = (client as Partial<ConnectQueryClient> | undefined)?.raw;
  if (!raw || typeof raw.GET !== 'function') {
    throw new TypeError(
      'createConnectQueryHooks: pass a client from @reportei-connect/client, such as createConnectClient({ token }) or connect.forCustomer(customerToken).',
    );
  }
  // Network failures and timeouts already reject with a ConnectError (from the client's fetch); an
  // error response resolves with `error` set, so it is turned into one here, where method and
  // templated path are known. openapi-react-query calls the request function named after each hook's
  // method (`client.GET(path, init)`): whichever it asks for is the client's own, wrapped, so no list of
  // methods is kept here.
  type Request = (path: string, init?: object) => Promise<{ error?: unknown; response: Response }>;
  const requests = raw as unknown as Record<string, Request | undefined>;
  const wrapped = new Map<string, Request>();
  const failing = new Proxy(requests, {
    get(_, method) {
      const request = typeof method === 'string' ? requests[method] : undefined;
      if (typeof method !== 'string' || typeof request !== 'function') return undefined;
      let failingRequest = wrapped.get(method);
      if (!failingRequest) {
        failingRequest = async (path, init) => {
          const result = await request(path, init);
          if (!result.response.ok) throw errorFromResponse(method, path, result.response, result.error);
          return result;
        };
        wrapped.set(method, failingRequest);
      }
      return failingRequest;
    },
  });
  return createQueryClient(failing as unknown as Client<ConnectQueryPaths>);
}

export { ConnectError };
