import type { CreatedCustomer, Customer, MetricRequest, MetricsResult, operations, paths } from '@reportei-connect/types';

const metrics = [
  { id: 'reach', reference_key: 'ig:reach', component: 'number_v1', metrics: ['reach'] },
  { id: 'gender', reference_key: 'ig:followers_gender', component: 'chart_v1', metrics: ['followers'], dimensions: ['gender'] },
] as const satisfies readonly MetricRequest[];

type Results = MetricsResult<typeof metrics>; // { reach: NumberResult; gender: ChartResult }
type CustomerPath = paths['/customers/{uuid}']; // get, put, delete
type NewCustomer = operations['createCustomer']['requestBody']['content']['application/json']; // { name: string }

function greet(customer: Customer | CreatedCustomer): string {
  return `Hello ${customer.name}`;
}
