import { createSandbox } from '@reportei-connect/sandbox';
import { securitySchemes } from '@reportei-connect/spec-model';
import { describe, expect, it } from 'vitest';
import { scenarios } from '../../src/scenarios/index.js';
import { listOperations, loadBundledSpec } from '../../src/spec.js';
import { childRun } from './child-suite.js';
import { getOf, jsonAnswer, startStatefulBrokenServer, type Fault } from './stateful-broken-server.js';

const document = loadBundledSpec();
const customerHeader = securitySchemes(document).customer!.header;

/** A fault and where it must be reported: the scenario, the step, and the lines (or patterns) its report holds. */
interface StatefulFault {
  breaks: string;
  fault: Fault;
  scenario: string;
  step: string;
  report: (string | RegExp)[];
}

/** getCustomer keeps answering a customer it once served, after it was deleted. */
function servesDeletedCustomers(): Fault {
  const served = new Map<string, string>();
  return async (request, next) => {
    const answer = await next(request);
    if (request.operationId !== 'getCustomer') return answer;
    const uuid = request.pathParams.uuid!;
    if (answer.status === 200) served.set(uuid, answer.text);
    return answer.status === 404 && served.has(uuid) ? { ...answer, status: 200, text: served.get(uuid)! } : answer;
  };
}

/** getCustomerIntegration answers an integration unknown to the customer's token when any other customer's token reaches it. */
function acceptsAnotherCustomersToken(): Fault {
  const tokens = new Set<string>();
  return async (request, next) => {
    const own = request.headers[customerHeader];
    if (own) tokens.add(own);
    const answer = await next(request);
    if (request.operationId !== 'getCustomerIntegration' || answer.status !== 404) return answer;
    for (const token of tokens) {
      if (token === own) continue;
      const borrowed = await next({ ...request, headers: { ...request.headers, [customerHeader]: token } });
      if (borrowed.status === 200) return borrowed;
    }
    return answer;
  };
}

/** listCustomers starts every page after the first with the last customer of the page before, in place of its own first. */
function repeatsARecord(): Fault {
  return async (request, next) => {
    const answer = await next(request);
    const page = Number(request.url.searchParams.get('page') ?? '1');
    if (request.operationId !== 'listCustomers' || answer.status !== 200 || page < 2) return answer;
    const before = new URL(request.url);
    before.searchParams.set('page', String(page - 1));
    const previous = JSON.parse((await next({ ...request, url: before })).text) as { data: unknown[] };
    const body = JSON.parse(answer.text) as { data: unknown[] };
    if (body.data.length > 0) body.data[0] = previous.data.at(-1);
    return { ...answer, text: JSON.stringify(body) };
  };
}

/** updateCustomerPaymentStatus acknowledges, and changes nothing. */
function ignoresPayment(): Fault {
  return async (request, next) => {
    if (request.operationId !== 'updateCustomerPaymentStatus') return next(request);
    const customer = await next(getOf(request, request.url.pathname.replace(/\/update-payment-status$/, '')));
    return jsonAnswer(customer, 200, { success: true, message: 'Customer is now marked as a paying customer' });
  };
}

/** deleteCustomerIntegration acknowledges, and keeps the integration. */
function keepsDeletedIntegrations(): Fault {
  return async (request, next) => {
    if (request.operationId !== 'deleteCustomerIntegration') return next(request);
    const integration = await next(getOf(request, request.url.pathname));
    return jsonAnswer(integration, 200, { success: true, message: 'Record successfully removed' });
  };
}

/** Each stateful fault, and the scenario and step that must report it. The sandbox behind them also never retries a webhook (one attempt). */
const faults: StatefulFault[] = [
  {
    breaks: 'still serves a deleted customer',
    fault: servesDeletedCustomers(),
    scenario: 'customer lifecycle',
    step: 'read, update and delete answer 404 once it is deleted',
    report: ['getCustomer 200 /status: expected 404, got 200 [negative_data_rejection]'],
  },
  {
    breaks: "accepts another customer's token",
    fault: acceptsAnotherCustomersToken(),
    scenario: 'customer tokens',
    step: "the first customer's token does not reach it",
    report: ['getCustomerIntegration 200 /status: expected 404, got 200 [negative_data_rejection]'],
  },
  {
    breaks: 'repeats a record on the next page',
    fault: repeatsARecord(),
    scenario: 'pagination',
    step: 'every customer is listed exactly once, at both sizes',
    report: [/at \d+ per page, customer [0-9a-f-]{36} is listed 2 times \(pages \d+, \d+\)/],
  },
  {
    breaks: 'acknowledges a payment and ignores it',
    fault: ignoresPayment(),
    scenario: 'trial',
    step: 'mark it paying',
    report: ['/customer/is_paying: expected true (marked paying), got false'],
  },
  {
    breaks: 'acknowledges the deletion of an integration and keeps it',
    fault: keepsDeletedIntegrations(),
    scenario: 'customer integration',
    step: 'once deleted, show answers 404 and the list omits it',
    report: ['getCustomerIntegration 200 /status: expected 404, got 200 [negative_data_rejection]'],
  },
];

/** Not a proxy's doing: the sandbox behind it makes one attempt per webhook delivery. */
const noWebhookRetry = {
  breaks: 'never retries a webhook delivery',
  scenario: 'metrics webhook',
  step: 'see it retried after the 500',
  report: ['the delivery answered 500 was not retried: the sandbox reports the delivery failed after 1 attempt(s)'],
};

describe('the scenarios, against a stateful server that breaks them', () => {
  const run = childRun('test/contract/scenarios.test.ts', async (stops) => {
    // Its webhook's first attempt comes at once: the default second's delay is no part of what is tested here.
    const sandbox = createSandbox({ seed: 'scenarios-self-test', webhooks: { attempts: 1, delayMs: 0 } });
    stops.push(() => sandbox.close());
    const upstream = await sandbox.listen({ port: 0, host: '127.0.0.1' });
    stops.push(upstream.close);
    const server = await startStatefulBrokenServer({ upstream: upstream.url, operations: listOperations(document), faults: faults.map((each) => each.fault) });
    stops.push(server.close);
    return {
      CONNECT_BASE_URL: `${server.origin}/api`,
      CONNECT_TOKEN: sandbox.merchantToken,
      CONNECT_CUSTOMER_TOKEN: sandbox.customerToken,
      CONNECT_CUSTOMER_INTEGRATION: sandbox.integration,
      CONNECT_ALLOW_WRITES: '1',
      // Its control endpoints pass through the proxy, at the same origin.
      CONNECT_SANDBOX: '1',
    };
  });

  const resultOf = (scenario: string) => run.results.find((result) => result.title.startsWith(`${scenario}: `));

  it('fails the run, and every scenario', () => {
    expect(run.exitCode).toBe(1);
    const broken = [...faults, noWebhookRetry].map((each) => each.scenario);
    expect(scenarios.map((each) => each.name).sort()).toEqual([...broken].sort());
    for (const scenario of broken) expect(resultOf(scenario)?.status, scenario).toBe('failed');
  });

  for (const { breaks, scenario, step, report } of [...faults, noWebhookRetry]) {
    it(`reports a server that ${breaks} in "${scenario}", at the step "${step}"`, () => {
      const message = resultOf(scenario)!.failureMessages.join('\n');
      expect(message).toContain(`${scenario} failed at "${step}"`);
      for (const line of report) {
        const prefix = `${scenario} › ${step}: `;
        if (typeof line === 'string') expect(message).toContain(`${prefix}${line}`);
        else expect(message).toMatch(new RegExp(`${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${line.source}`));
      }
    });
  }

  it('skips the check that every link is followed, since scenarios stopped early', () => {
    expect(run.results.find((result) => result.title.startsWith('the scenarios follow every link'))?.status).toBe('skipped');
  });
});
