import type { components, operations } from '@reportei-connect/types';
import { networkBySlug, networks, referenceKeyProblem } from './catalogue.js';
import { formatTimestamp } from './clock.js';
import { generateMetrics, MAX_PERIOD_DAYS, MAX_ROWS, MAX_VALUES, periodDays, workOf, type MetricRequest } from './metrics.js';
import { sessionPath } from './hosted-page.js';
import type { CustomerRecord, IntegrationRecord, Store } from './store.js';
import { isHttpUrl } from './url.js';
import type { WebhookDelivery, WebhookJob } from './webhooks.js';
import type { RateLimits } from './rate-limit.js';
import { ValidationFailure, type FieldErrors } from './validation.js';

type Schemas = components['schemas'];

/** Every operation of the API, by operationId. */
export type OperationId = keyof operations;

type JsonOf<Response> = Response extends { content: { 'application/json': infer Body } } ? Body : never;
type Responses<Id extends OperationId> = operations[Id]['responses'];

/**
 * What a handler may answer: a status the spec documents for its operation, with that status's body
 * type. A status or body the spec does not document for the operation does not compile.
 */
export type Reply<Id extends OperationId> = {
  [Status in keyof Responses<Id> & number]: { status: Status; body: JsonOf<Responses<Id>[Status]> };
}[keyof Responses<Id> & number];

/** Everything a handler needs to answer one request. */
export interface OperationContext {
  store: Store;
  /** The sandbox clock's time when the request arrived. */
  now: number;
  /** Path parameters, and query parameters with the spec's defaults filled in. */
  params: Record<string, any>;
  body: any;
  /** The authenticated customer, on customer-scoped operations. */
  customer: CustomerRecord | undefined;
  /** The URL the request was made to, without the query (`meta.path`). */
  url: string;
  /** The origin the sandbox is reached at, for links it hands out. */
  origin: string;
  rateLimit: RateLimits;
  /** The merchant's default `redirect_url`: where the hosted page's final button leads unless the session says. */
  redirectUrl: string;
  /** The URL a callback of the operation goes to, by the spec's runtime expression; undefined when the request names none. */
  callbackUrl(name: string): string | undefined;
  /** Queues a webhook delivery, saved with the request's other changes. */
  deliver(job: WebhookJob): WebhookDelivery;
}

export type Handler<Id extends OperationId> = (context: OperationContext) => Reply<Id>;

const NOT_FOUND = { status: 404, body: { message: 'Record not found' } } as const;
const REMOVED = { status: 200, body: { success: true, message: 'Record successfully removed' } } as const;

function customerBody(store: Store, customer: CustomerRecord): Schemas['Customer'] {
  return {
    uuid: customer.uuid,
    name: customer.name,
    created_at: formatTimestamp(customer.createdAt),
    updated_at: formatTimestamp(customer.updatedAt),
    trial_ends_at: formatTimestamp(customer.trialEndsAt),
    is_paying: customer.isPaying,
    merchant: store.merchant.name,
  };
}

export function integrationBody(integration: IntegrationRecord): Schemas['CustomerIntegration'] {
  return {
    uuid: integration.uuid,
    source_name: integration.sourceName,
    status: integration.status,
    created_at: formatTimestamp(integration.createdAt),
    updated_at: formatTimestamp(integration.updatedAt),
    integration: { name: networkBySlug(integration.slug)?.name ?? integration.slug, slug: integration.slug },
  };
}

/** A page of `total` records, `page` and `per_page` as asked, with Laravel-style meta. */
function paginate<Record>(context: OperationContext, total: number, slice: (offset: number, limit: number) => Record[]) {
  const page: number = context.params.page;
  const perPage: number = context.params.per_page;
  const offset = (page - 1) * perPage;
  const data = offset < total ? slice(offset, perPage) : [];
  const meta: Schemas['PaginationMeta'] = {
    current_page: page,
    from: data.length > 0 ? offset + 1 : null,
    last_page: Math.max(1, Math.ceil(total / perPage)),
    path: context.url,
    per_page: perPage,
    to: data.length > 0 ? offset + data.length : null,
    total,
  };
  return { data, meta };
}

function customerOf(context: OperationContext): CustomerRecord {
  // The app authenticates customer-scoped operations before calling their handler.
  if (!context.customer) throw new Error('A customer-scoped handler ran without a customer.');
  return context.customer;
}

/** Fails the request with 422 when `errors` holds anything. */
function refuse(errors: FieldErrors): void {
  if (Object.keys(errors).length > 0) throw new ValidationFailure(errors);
}

/** The checks of a metrics request that the schema cannot express, then its results. */
function computeMetrics(context: OperationContext, errors: FieldErrors = {}): { integration: IntegrationRecord; results: Schemas['MetricsDataResponse'] } {
  const customer = customerOf(context);
  const body = context.body as Schemas['MetricsDataRequest'];
  const integration = context.store.integrationOf(customer.uuid, body.customer_integration);
  if (!integration) {
    errors.customer_integration = ['The selected customer integration is invalid: it is not one of this customer\'s integrations.'];
  } else if (integration.status !== 'active') {
    errors.customer_integration = [
      `The customer integration is ${integration.status}: only active integrations can be read. Open an integration session and connect the network again.`,
    ];
  }
  if (body.end < body.start) errors.end = ['The end field must be a date after or equal to start.'];
  const hasComparisonStart = body.comparison_start !== undefined;
  const hasComparisonEnd = body.comparison_end !== undefined;
  if (hasComparisonStart !== hasComparisonEnd) {
    errors[hasComparisonStart ? 'comparison_end' : 'comparison_start'] = [
      `The ${hasComparisonStart ? 'comparison end' : 'comparison start'} field is required when ${hasComparisonStart ? 'comparison start' : 'comparison end'} is present.`,
    ];
  } else if (hasComparisonStart && body.comparison_end! < body.comparison_start!) {
    errors.comparison_end = ['The comparison end field must be a date after or equal to comparison start.'];
  }
  const network = integration && networkBySlug(integration.slug);
  const ids = new Set<string>();
  body.metrics.forEach((metric, index) => {
    if (ids.has(metric.id)) errors[`metrics.${index}.id`] = [`The metrics.${index}.id field has a duplicate value: every metric of a request needs its own id.`];
    ids.add(metric.id);
    const problem = network && referenceKeyProblem(network, metric.reference_key);
    if (problem) errors[`metrics.${index}.reference_key`] = [problem];
  });
  // The work of one request is bounded (the README says so): each period, then each metric's rows, then the whole.
  const period = { start: body.start, end: body.end };
  const comparison = hasComparisonStart ? { start: body.comparison_start!, end: body.comparison_end! } : undefined;
  for (const [field, span] of [['end', period], ['comparison_end', comparison]] as const) {
    if (span && !errors[field] && periodDays(span) > MAX_PERIOD_DAYS) {
      errors[field] = [`The period from ${field === 'end' ? 'start' : 'comparison start'} to ${field.replace('_', ' ')} must not span more than ${MAX_PERIOD_DAYS} days in the sandbox.`];
    }
  }
  if (network && Object.keys(errors).length === 0) {
    let values = 0;
    body.metrics.forEach((metric, index) => {
      const work = workOf({ network, period, comparison }, metric as MetricRequest);
      values += work.values;
      if (work.rows > MAX_ROWS) {
        errors[`metrics.${index}.dimensions`] = [`The metrics.${index} result would have ${work.rows} rows or points; the sandbox answers at most ${MAX_ROWS}: use fewer or shorter dimensions, or a shorter period.`];
      }
    });
    if (Object.keys(errors).length === 0 && values > MAX_VALUES) {
      errors.metrics = [`The request would compute ${values} values; the sandbox computes at most ${MAX_VALUES} per request: ask for fewer metrics, dimensions or days.`];
    }
  }
  refuse(errors);
  const results = generateMetrics(
    { seed: context.store.seed, integration: integration!.uuid, network: network!, period, comparison },
    body.metrics as MetricRequest[],
  ) as Schemas['MetricsDataResponse'];
  return { integration: integration!, results };
}

/** The handler of every operation. The app checks at start that the spec has no operation without one. */
export const handlers: { [Id in OperationId]: Handler<Id> } = {
  getMerchantSettings: ({ store, rateLimit, redirectUrl }) => ({
    status: 200,
    body: {
      merchant: {
        uuid: store.merchant.uuid,
        name: store.merchant.name,
        created_at: formatTimestamp(store.merchant.createdAt),
        updated_at: formatTimestamp(store.merchant.updatedAt),
        redirect_url: redirectUrl,
        rate_limit_per_minute: String(rateLimit.perMinute),
        // Without a per-second limit, any one second may use the whole minute's allowance.
        rate_limit_per_second: String(rateLimit.perSecond ?? rateLimit.perMinute),
        total_customers: store.customerCount,
        available_integrations: networks.map(({ name, slug }) => ({ name, slug })),
      },
    },
  }),

  listCustomers: (context) => {
    const { store } = context;
    const { data, meta } = paginate(context, store.customerCount, (offset, limit) => store.customerPage(offset, limit));
    return { status: 200, body: { data: data.map((customer) => customerBody(store, customer)), meta: { ...meta, sortBy: null, descending: false } } };
  },

  createCustomer: ({ store, body, now }) => {
    const customer = store.createCustomer(body.name, now);
    return { status: 201, body: { customer: { ...customerBody(store, customer), api_token: customer.apiToken } } };
  },

  getCustomer: ({ store, params }) => {
    const customer = store.customer(params.uuid);
    return customer ? { status: 200, body: { customer: customerBody(store, customer) } } : NOT_FOUND;
  },

  updateCustomer: ({ store, params, body, now }) => {
    const customer = store.customer(params.uuid);
    if (!customer) return NOT_FOUND;
    store.updateCustomer(customer, { name: body.name }, now);
    return { status: 200, body: { customer: customerBody(store, customer) } };
  },

  deleteCustomer: ({ store, params }) => {
    const customer = store.customer(params.uuid);
    if (!customer) return NOT_FOUND;
    store.deleteCustomer(customer);
    return REMOVED;
  },

  updateCustomerPaymentStatus: ({ store, params, body, now }) => {
    const customer = store.customer(params.uuid);
    if (!customer) return NOT_FOUND;
    store.updateCustomer(customer, { isPaying: body.is_paying }, now);
    return {
      status: 200,
      body: { success: true, message: body.is_paying ? 'Customer is now marked as a paying customer' : 'Customer is no longer marked as a paying customer' },
    };
  },

  getCustomerSettings: (context) => {
    const { store } = context;
    const customer = customerOf(context);
    return {
      status: 200,
      body: {
        customer: {
          ...customerBody(store, customer),
          integrations: store.integrationsOf(customer.uuid).map((integration) => ({
            uuid: integration.uuid,
            integration: networkBySlug(integration.slug)?.name ?? integration.slug,
            name: integration.sourceName,
            slug: integration.slug,
            status: integration.status,
          })),
        },
      },
    };
  },

  listCustomerIntegrations: (context) => {
    const integrations = context.store.integrationsOf(customerOf(context).uuid);
    const { data, meta } = paginate(context, integrations.length, (offset, limit) => integrations.slice(offset, offset + limit));
    return { status: 200, body: { data: data.map(integrationBody), meta } };
  },

  createIntegrationSession: (context) => {
    const { store, body, now, origin } = context;
    const customer = customerOf(context);
    const input = (body ?? {}) as Schemas['IntegrationSessionInput'];
    // The page's final button is a link: only a web address can be one.
    if (input.redirect_url !== undefined && !isHttpUrl(input.redirect_url)) {
      refuse({ redirect_url: ['The redirect url field must be an http or https URL.'] });
    }
    const session = store.createSession(customer.uuid, now, {
      ...(input.redirect_url !== undefined && { redirectUrl: input.redirect_url }),
      ...(input.locale !== undefined && { locale: input.locale }),
    });
    return {
      status: 200,
      body: {
        integration_session: {
          session_uuid: session.uuid,
          session_link: `${origin}${sessionPath(session.uuid)}`,
          expires_at: new Date(session.expiresAt).toISOString(),
          merchant: store.merchant.name,
          merchant_uuid: store.merchant.uuid,
          customer: customer.name,
          customer_uuid: customer.uuid,
          ...(session.redirectUrl !== undefined && { redirect_url: session.redirectUrl }),
        },
      },
    };
  },

  getCustomerIntegration: (context) => {
    const integration = context.store.integrationOf(customerOf(context).uuid, context.params.uuid);
    return integration ? { status: 200, body: { customer_integration: integrationBody(integration) } } : NOT_FOUND;
  },

  deleteCustomerIntegration: (context) => {
    const { store, params, now } = context;
    const customer = customerOf(context);
    // The session first: with a current session of the customer, an unknown integration is a 404.
    const session = store.session(params.session_id);
    if (!session || session.customer !== customer.uuid) {
      refuse({ session_id: ['The selected session id is invalid: create an integration session for this customer and pass its session_uuid.'] });
    } else if (session.expiresAt <= now) {
      refuse({ session_id: ['The integration session has expired (sessions last 5 minutes): create a new one.'] });
    }
    const integration = store.integrationOf(customer.uuid, params.uuid);
    if (!integration) return NOT_FOUND;
    store.deleteIntegration(integration);
    return REMOVED;
  },

  getMetricsData: (context) => ({ status: 200, body: computeMetrics(context).results }),

  getMetricsDataAsync: (context) => {
    const url = context.callbackUrl('metricsReady');
    const errors: FieldErrors = isHttpUrl(url) ? {} : { metrics_webhook_url: ['The metrics webhook url field must be an http or https URL.'] };
    const { integration, results } = computeMetrics(context, errors);
    context.deliver({
      callback: 'metricsReady',
      url: url!,
      payload: results,
      customer: customerOf(context).uuid,
      customerIntegration: integration.uuid,
    });
    return { status: 200, body: { message: 'Metrics are being processed and will be sent to the webhook' } };
  },
};


