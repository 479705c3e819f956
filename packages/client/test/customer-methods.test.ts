// What the compiler says when a customer-scoped operation is called on the merchant client: the type
// tests (client.test-d.ts) can only expect an error, not read it, so this compiles such a call with the
// workspace's checker (connect-tsc, as the lint does) and reads the message.

import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';

const dir = fileURLToPath(new URL('../test-output/customer-methods/', import.meta.url));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("calling a customer-scoped operation on the merchant client fails to compile with a message pointing to forCustomer", async () => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}tsconfig.json`, JSON.stringify({ extends: '../../tsconfig.json', include: ['call.ts'] }));
  writeFileSync(
    `${dir}call.ts`,
    [
      "import { createConnectClient } from '../../src/index.js';",
      'const connect = createConnectClient();',
      'await connect.getCustomerSettings();',
      "await connect.getMetricsData({ customer_integration: 'i', start: '2025-01-01', end: '2025-01-31', metrics: [] });",
      '',
    ].join('\n'),
  );
  const tsc = createRequire(import.meta.url).resolve('@reportei-connect/tsc/package.json').replace(/package\.json$/, 'tsc.mjs');
  const output = await new Promise<string>((resolve) => execFile(process.execPath, [tsc, '-p', dir, '--pretty', 'false'], (_, stdout, stderr) => resolve(`${stdout}${stderr}`)));
  const errors = output.split('\n').filter((line) => line.includes('error TS'));
  expect(errors).toHaveLength(2);
  expect(errors[0]).toContain('call.ts(3,');
  expect(errors[0]).toContain(
    "error TS2684: The 'this' context of type 'ConnectClient' is not assignable to method's 'this' of type '\"getCustomerSettings needs the customer token: call connect.forCustomer(customer.api_token).getCustomerSettings(...) instead\"'.",
  );
  expect(errors[1]).toContain('call.ts(4,');
  expect(errors[1]).toContain('getMetricsData needs the customer token: call connect.forCustomer(customer.api_token).getMetricsData(...) instead');
});
