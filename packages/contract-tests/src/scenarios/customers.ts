import type { CustomerIntegration } from '@reportei-connect/client';
import { catalogueMetric } from '../catalogue.js';
import { rejected, unauthenticated } from '../checks.js';
import type { Reply, Walk } from './api.js';
import { expectNone, scenario, type Step } from './scenario.js';
import { activeIntegration, createCustomer, createCustomerStep, customerName, differences, lastWeek, repeated, tokenOf } from './shared.js';

/** The merchant's customers: their life, their tokens, and how they are listed. */

/** Large enough to hold every customer of a sandbox in one page: lists are searched page by page at this size. */
const LARGEST_PAGE = 100;

/** Lifecycle: a customer exists from its creation to its deletion, and not after. */
export const customerLifecycle = scenario<{ created: Reply<'createCustomer'>; newName: string }>({
  name: 'customer lifecycle',
  summary: 'create a customer, read it back, rename it, find the new name in the list, delete it; then 404 on read, update and delete, and 401 for its token',
  steps: [
    createCustomerStep('lifecycle'),
    {
      name: 'read it back as created',
      async run(api, { created }) {
        const read = await api.call('getCustomer', api.follow(created, 'GetCustomer', 'getCustomer'));
        const { api_token: _token, ...customer } = created.body.customer;
        expectNone(differences(customer, read.body.customer, '/customer', 'as created'));
      },
    },
    {
      name: 'rename it',
      async run(api, state) {
        state.newName = customerName('lifecycle, renamed');
        const renamed = await api.call('updateCustomer', api.follow(state.created, 'UpdateCustomer', 'updateCustomer', { body: { name: state.newName } }));
        expectNone(differences({ uuid: state.created.body.customer.uuid, name: state.newName }, renamed.body.customer, '/customer', 'the new name'));
      },
    },
    {
      name: 'find the new name in the list',
      async run(api, { created, newName }) {
        const { uuid } = created.body.customer;
        const listed = (await api.walk('listCustomers', LARGEST_PAGE)).records.filter((customer) => customer.uuid === uuid);
        if (listed.length !== 1) expectNone([`customer ${uuid} is listed ${listed.length} times at ${LARGEST_PAGE} per page, not once`]);
        expectNone(differences({ name: newName }, listed[0], `/data/(${uuid})`, 'the new name'));
      },
    },
    {
      name: 'delete it',
      async run(api, { created }) {
        await api.call('deleteCustomer', api.follow(created, 'DeleteCustomer', 'deleteCustomer'));
      },
    },
    {
      name: 'read, update and delete answer 404 once it is deleted',
      async run(api, { created }) {
        await api.call('getCustomer', api.follow(created, 'GetCustomer', 'getCustomer'), rejected(404));
        await api.call('updateCustomer', api.follow(created, 'UpdateCustomer', 'updateCustomer', { body: { name: customerName('lifecycle, after deletion') } }), rejected(404));
        await api.call('deleteCustomer', api.follow(created, 'DeleteCustomer', 'deleteCustomer'), rejected(404));
      },
    },
    {
      name: 'its old token answers 401',
      async run(api, { created }) {
        const customerToken = tokenOf(created);
        await api.call('getCustomerSettings', { customerToken }, unauthenticated);
        await api.call('listCustomerIntegrations', { customerToken }, unauthenticated);
      },
    },
  ],
});

/** Tokens: a customer's api_token opens its own customer-scoped operations, and nothing of another customer. */
export const customerTokens = scenario<{
  created: Reply<'createCustomer'>;
  firstSession: Reply<'createIntegrationSession'>;
  other: { customerToken: string; integration: CustomerIntegration };
}>({
  name: 'customer tokens',
  summary: "a new customer's api_token works for its customer-scoped operations, and not for another customer's integration",
  steps: [
    createCustomerStep('tokens'),
    {
      name: 'its token works for its customer-scoped operations',
      async run(api, state) {
        const { uuid, name, api_token: customerToken } = state.created.body.customer;
        const settings = await api.call('getCustomerSettings', { customerToken });
        const problems = differences({ uuid, name }, settings.body.customer, '/customer', "the token's customer");
        await api.call('listCustomerIntegrations', { customerToken });
        state.firstSession = await api.call('createIntegrationSession', { customerToken, body: {} });
        const { customer_uuid } = state.firstSession.body.integration_session;
        if (customer_uuid !== undefined) problems.push(...differences(uuid, customer_uuid, '/integration_session/customer_uuid', "the token's customer"));
        expectNone(problems);
      },
    },
    {
      name: 'another customer has an active integration',
      async run(api, state) {
        state.other = await activeIntegration(api, 'tokens, the other customer');
      },
    },
    {
      name: "its owner's token reads it",
      async run(api, { other }) {
        const { body } = await api.call('getCustomerIntegration', { customerToken: other.customerToken, path: { uuid: other.integration.uuid } });
        expectNone(differences(other.integration.uuid, body.customer_integration.uuid, '/customer_integration/uuid'));
      },
    },
    {
      name: "the first customer's token does not reach it",
      async run(api, { created, other }) {
        const customerToken = tokenOf(created);
        const { uuid } = other.integration;
        await api.call('getCustomerIntegration', { customerToken, path: { uuid } }, rejected(404));
        const metric = catalogueMetric(other.integration.integration.slug, 'contract-tests-metric');
        if (metric) await api.call('getMetricsData', { customerToken, body: { customer_integration: uuid, ...lastWeek(), metrics: [metric] } }, rejected());
        const listed = (await api.walk('listCustomerIntegrations', LARGEST_PAGE, { customerToken })).records.filter((integration) => integration.uuid === uuid);
        if (listed.length > 0) expectNone([`the first customer's integrations list the other customer's integration ${uuid}`]);
      },
    },
    {
      name: "nor deletes it with the first customer's session",
      needs: ['disposable'],
      async run(api, { created, firstSession, other }) {
        const { uuid } = other.integration;
        const request = api.follow(firstSession, 'DeleteCustomerIntegration', 'deleteCustomerIntegration', { path: { uuid } });
        await api.call('deleteCustomerIntegration', { ...request, customerToken: tokenOf(created) }, rejected());
        await api.call('getCustomerIntegration', { customerToken: other.customerToken, path: { uuid } });
      },
    },
  ],
});

/** The checks of one page of a walk, for a list of `total` records. */
function pageProblems(walk: Walk<'listCustomers'>, total: number): string[] {
  const lastPage = Math.max(1, Math.ceil(total / walk.perPage));
  if (walk.pages.length !== lastPage) return [`at ${walk.perPage} per page, ${total} customers take ${lastPage} pages, but the walk took ${walk.pages.length}`];
  return walk.pages.flatMap(({ body: { data, meta } }, index) => {
    const page = index + 1;
    const count = page < lastPage ? walk.perPage : total - (lastPage - 1) * walk.perPage;
    const from = count > 0 ? (page - 1) * walk.perPage + 1 : null;
    const expected = { current_page: page, per_page: walk.perPage, total, last_page: lastPage, from, to: from === null ? null : from + count - 1 };
    const problems = differences(expected, meta, `/meta`, `page ${page} at ${walk.perPage} per page of ${total}`);
    if (data.length !== count) problems.push(`/data: expected ${count} customers on page ${page} at ${walk.perPage} per page of ${total}, got ${data.length}`);
    return problems;
  });
}

/** Enough customers for several pages at the sizes the scenario picks. */
const PAGE_FILLERS = 7;

/** Pagination: walking the customers at any page size lists each exactly once, as `meta` says. */
export const pagination = scenario<{ created: string[]; total: number; walks: Walk<'listCustomers'>[] }>({
  name: 'pagination',
  summary: `create ${PAGE_FILLERS} customers, walk the list at two page sizes that make several pages: every customer exactly once, meta consistent with what was walked`,
  steps: [
    {
      name: `create ${PAGE_FILLERS} customers`,
      async run(api, state) {
        state.created = [];
        for (let index = 1; index <= PAGE_FILLERS; index++) state.created.push((await createCustomer(api, `pagination ${index}`)).body.customer.uuid);
      },
    },
    {
      name: 'count the customers',
      async run(api, state) {
        state.total = (await api.call('listCustomers', { query: { page: 1, per_page: 1 } })).body.meta.total;
        if (state.total < PAGE_FILLERS) expectNone([`/meta/total: expected at least the ${PAGE_FILLERS} customers just created, got ${state.total}`]);
        state.walks = [];
      },
    },
    ...[5, 3].map(
      (pages): Step<{ total: number; walks: Walk<'listCustomers'>[] }> => ({
        name: `walk every page at a size that makes about ${pages} pages`,
        async run(api, state) {
          // At least 2 per page (1 would make a page per customer), at most 100; about 5 then about 3 pages,
          // never the same size twice.
          const size = Math.min(100, Math.max(2, Math.ceil(state.total / pages)));
          const perPage = state.walks.some((walk) => walk.perPage === size) ? size - 1 : size;
          const walk = await api.walk('listCustomers', perPage);
          state.walks.push(walk);
          expectNone(pageProblems(walk, state.total));
        },
      }),
    ),
    {
      name: 'every customer is listed exactly once, at both sizes',
      async run(_api, { created, total, walks }) {
        const problems = walks.flatMap(({ perPage, records, pages }) => {
          const uuids = records.map((customer) => customer.uuid);
          const pageOf = (uuid: string) => pages.flatMap((page, index) => (page.body.data.some((customer) => customer.uuid === uuid) ? [index + 1] : []));
          return [
            ...[...repeated(uuids)].map(([uuid, times]) => `at ${perPage} per page, customer ${uuid} is listed ${times} times (pages ${pageOf(uuid).join(', ')})`),
            ...created.filter((uuid) => !uuids.includes(uuid)).map((uuid) => `at ${perPage} per page, customer ${uuid}, created by the scenario, is not listed`),
            ...(new Set(uuids).size === total ? [] : [`at ${perPage} per page, ${new Set(uuids).size} different customers are listed, but meta.total says ${total}`]),
          ];
        });
        const [first, second] = walks.map((walk) => new Set(walk.records.map((customer) => customer.uuid)));
        const onlyOne = [...first!].filter((uuid) => !second!.has(uuid)).concat([...second!].filter((uuid) => !first!.has(uuid)));
        if (onlyOne.length > 0) problems.push(`the two page sizes list different customers: ${onlyOne.join(', ')} at one size only`);
        expectNone(problems);
      },
    },
    {
      name: 'the page after the last is empty',
      async run(api, { total, walks }) {
        const { perPage, pages } = walks[0]!;
        const page = pages.length + 1;
        const { body } = await api.call('listCustomers', { query: { page, per_page: perPage } });
        expectNone(differences({ data: [], meta: { current_page: page, total, from: null, to: null } }, body, '', `page ${page} at ${perPage} per page of ${total}`));
      },
    },
  ],
});
