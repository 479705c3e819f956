import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createSandbox, SandboxStateError } from '../src/index.js';
import { STATE_FORMAT, STATE_VERSION } from '../src/persistence.js';
import { Store } from '../src/store.js';
import { DAY, rejection, setup } from './helpers.js';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});
function folder(): string {
  const path = mkdtempSync(join(tmpdir(), 'connect-sandbox-'));
  folders.push(path);
  return path;
}

describe('persistence', () => {
  it('is in memory by default: a new sandbox starts from the seed', async () => {
    const first = setup();
    const { customer } = await first.connect.createCustomer({ name: 'Ephemeral' });
    const second = setup();
    expect((await rejection(second.connect.getCustomer({ uuid: customer.uuid }))).status).toBe(404);
  });

  it('with a state file, survives a restart: records, tokens, the clock and the id sequence', async () => {
    const file = join(folder(), 'state.json');
    const before = setup({ stateFile: file, seed: 'persisted' });
    expect(existsSync(file)).toBe(true); // created from the seed at once
    const { customer } = await before.connect.createCustomer({ name: 'Kept' });
    await before.connect.updateCustomerPaymentStatus({ uuid: customer.uuid, is_paying: true });
    const integration = before.sandbox.connectIntegration(customer.uuid, 'linkedin');
    before.sandbox.clock.advance(10 * DAY);
    const clockBefore = before.sandbox.clock.now().getTime();
    await before.sandbox.close();

    const after = setup({ stateFile: file });
    const found = await after.connect.getCustomer({ uuid: customer.uuid });
    expect(found.customer).toMatchObject({ name: 'Kept', is_paying: true });
    const client = after.connect.forCustomer(customer.api_token);
    expect((await client.getCustomerIntegration({ uuid: integration })).customer_integration.integration.slug).toBe('linkedin');
    expect(after.sandbox.clock.now().getTime()).toBeGreaterThanOrEqual(clockBefore);
    expect(after.sandbox.customerToken).toBe(before.sandbox.customerToken);
    // New ids continue the sequence: no clash with the ones made before the restart.
    const { customer: next } = await after.connect.createCustomer({ name: 'Next' });
    expect(next.uuid).not.toBe(customer.uuid);
    expect((await after.connect.listCustomers()).data.map((each) => each.name)).toEqual(['Demo Customer', 'Kept', 'Next']);

    // Deleting is a change like any other.
    await after.connect.deleteCustomer({ uuid: customer.uuid });
    await after.sandbox.close();
    const third = setup({ stateFile: file });
    expect((await rejection(third.connect.getCustomer({ uuid: customer.uuid }))).status).toBe(404);
  });

  it('writes each change as one journal line beside the snapshot, leaving no temporary file behind', async () => {
    const dir = folder();
    const file = join(dir, 'state.json');
    const { connect, sandbox } = setup({ stateFile: file });
    for (let index = 0; index < 20; index++) await connect.createCustomer({ name: `C${index}` });
    expect(readdirSync(dir).sort()).toEqual(['state.json', 'state.json.journal', 'state.json.lock', 'state.json.lock-owner']);
    expect(JSON.parse(readFileSync(file, 'utf8')).customers).toHaveLength(1);
    expect(readFileSync(`${file}.journal`, 'utf8').trim().split('\n')).toHaveLength(21);
    // Closing releases the lock, and the next start reads snapshot and journal together.
    await sandbox.close();
    expect(readdirSync(dir).sort()).toEqual(['state.json', 'state.json.journal']);
    const again = setup({ stateFile: file });
    expect((await again.connect.listCustomers()).meta.total).toBe(21);
  });

  it('undoes a change it cannot save: 500 naming the file, reads go on, nothing kept or duplicated', async () => {
    const file = join(folder(), 'state.json');
    const journal = `${file}.journal`;
    const first = setup({ stateFile: file });
    await first.connect.createCustomer({ name: 'Saved' });
    // The disk fills up: every write to the journal fails with ENOSPC.
    const saved = readFileSync(journal);
    rmSync(journal);
    symlinkSync('/dev/full', journal);
    const failed = await first.call('POST', '/customers', { body: { name: 'Retried' } });
    expect(failed.status).toBe(500);
    expect(failed.body.message).toBe(
      `The change was not made: the state file ${file} could not be written (ENOSPC: no space left on device, write). Free disk space or fix the file's permissions, then send the request again.`,
    );
    // Reads go on, without the change.
    expect((await first.connect.listCustomers()).data.map((customer) => customer.name)).toEqual(['Demo Customer', 'Saved']);
    // The disk recovers: the retry is made once, and a restart reads exactly what was acknowledged.
    rmSync(journal);
    writeFileSync(journal, saved);
    expect((await first.call('POST', '/customers', { body: { name: 'Retried' } })).status).toBe(201);
    const token = first.sandbox.customerToken;
    await first.sandbox.close();
    const second = setup({ stateFile: file });
    expect((await second.connect.listCustomers()).data.map((customer) => customer.name)).toEqual(['Demo Customer', 'Saved', 'Retried']);
    // No seed: the random secret tokens come from is kept in the state, so they survive the restart.
    expect(second.sandbox.customerToken).toBe(token);
  });

  it('writes a change at a cost flat in the data: one journal line, the snapshot untouched, with 10 or 10,000 customers', async () => {
    const growth: number[] = [];
    for (const stored of [10, 10_000]) {
      const file = join(folder(), 'state.json');
      const store = Store.seeded('bulk', 'bulk', Date.now());
      for (let index = 1; index < stored; index++) store.createCustomer(`Bulk ${index}`, Date.now());
      writeFileSync(file, JSON.stringify({ format: STATE_FORMAT, version: STATE_VERSION, generation: 0, clockOffsetMs: 0, deliveries: [], ...store.toJSON() }));
      const { connect, sandbox } = setup({ stateFile: file });
      const snapshot = statSync(file);
      const before = statSync(`${file}.journal`).size;
      await connect.createCustomer({ name: 'One more' });
      growth.push(statSync(`${file}.journal`).size - before);
      expect(statSync(file).mtimeMs).toBe(snapshot.mtimeMs);
      await sandbox.close();
    }
    expect(growth[0]).toBeGreaterThan(0);
    // The same line, but for the digits of the sequence number.
    expect(Math.abs(growth[1]! - growth[0]!)).toBeLessThanOrEqual(8);
  });

  it('reset goes back to the seed and is written too', async () => {
    const file = join(folder(), 'state.json');
    const { connect, control, sandbox, demo } = setup({ stateFile: file, webhooks: { delayMs: 3_600_000 } });
    const token = sandbox.customerToken;
    await connect.createCustomer({ name: 'Gone after reset' });
    await demo.getMetricsDataAsync({ customer_integration: sandbox.integration, start: '2025-01-01', end: '2025-01-31', metrics: [{ id: 'r', reference_key: 'ig:reach', component: 'number_v1', metrics: ['reach'] }], metrics_webhook_url: 'http://127.0.0.1:9/hook' });
    sandbox.clock.advance(DAY);
    const { status, body } = await control('POST', '/reset');
    expect(status).toBe(200);
    expect(body).toMatchObject({ customers: 1, demo: { customer: sandbox.demo.uuid, integration: sandbox.integration } });
    expect(Math.abs(Date.parse(body.now) - Date.now())).toBeLessThan(60_000);
    expect(sandbox.customerToken).toBe(token);
    // A reset writes a new snapshot, and starts a new journal.
    expect(JSON.parse(readFileSync(file, 'utf8')).customers).toHaveLength(1);
    expect(readFileSync(`${file}.journal`, 'utf8').trim().split('\n')).toHaveLength(1);
    expect((await connect.listCustomers()).meta.total).toBe(1);
    expect((await control('POST', '/reset', undefined, 'wrong')).status).toBe(401);
    // The deliveries are forgotten with the rest, on disk too.
    expect(sandbox.webhooks.deliveries()).toEqual([]);
    await sandbox.close();
    const again = setup({ stateFile: file });
    expect(again.sandbox.webhooks.deliveries()).toEqual([]);
    expect((await again.connect.listCustomers()).meta.total).toBe(1);
  });

  it('refuses a corrupt, foreign or unreadable file with a clear error, never starting empty', () => {
    const dir = folder();
    const file = join(dir, 'state.json');
    writeFileSync(file, '{"format": "connect-sandbox-state", "version": 1, "seed": "x", "customers": [');
    expect(() => createSandbox({ stateFile: file })).toThrow(SandboxStateError);
    expect(() => createSandbox({ stateFile: file })).toThrow(/not valid JSON/);
    writeFileSync(file, JSON.stringify({ hello: 'world' }));
    expect(() => createSandbox({ stateFile: file })).toThrow(/not a connect-sandbox state: its "format"/);
    const valid = setupState(dir);
    const broken = { ...valid, customers: [{ ...valid.customers[0], apiToken: 42 }] };
    writeFileSync(file, JSON.stringify(broken));
    expect(() => createSandbox({ stateFile: file })).toThrow(/customers\[0\]\.apiToken/);
    // The file is left as it was.
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(broken);
    if (process.getuid?.() !== 0) {
      writeFileSync(file, JSON.stringify(valid));
      chmodSync(file, 0o000);
      expect(() => createSandbox({ stateFile: file })).toThrow(/Cannot read the state file/);
    }
    expect(() => createSandbox({ stateFile: join(dir, 'state.json'), seed: 'another' })).toThrow(SandboxStateError);
  });

  it('never leaves a corrupt file when the process is killed while writing', async () => {
    const dir = folder();
    const file = join(dir, 'state.json');
    const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));
    // A child that changes the state as fast as it can (each change rewrites the file), printing a line
    // after each change, killed while it goes on: after a different number of changes in each round.
    const script = `
      const { createSandbox } = await import(${JSON.stringify(entry)});
      const sandbox = createSandbox({ stateFile: ${JSON.stringify(file)} });
      const headers = { authorization: 'Bearer ' + sandbox.merchantToken, 'content-type': 'application/json' };
      for (let i = 0; ; i++) {
        await sandbox.fetch(sandbox.baseUrl + '/customers', { method: 'POST', headers, body: JSON.stringify({ name: 'n' + i + 'x'.repeat(200) }) });
        console.log(i);
      }
    `;
    for (let round = 0; round < 5; round++) {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      const changes = 1 + round * 10;
      let lines = 0;
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          lines += chunk.toString().split('\n').length - 1;
          if (lines >= changes) resolve();
        });
        void exited.then((code) => reject(new Error(`The writer exited (${code}) after ${lines} changes, before it was killed.`)));
      });
      child.kill('SIGKILL');
      await exited;
      const sandbox = createSandbox({ stateFile: file }); // throws if the file were damaged
      await sandbox.close();
    }
    const survivor = createSandbox({ stateFile: file });
    expect(survivor.requests()).toEqual([]);
    const listed = await survivor.fetch(`${survivor.baseUrl}/customers?per_page=1`, { headers: { authorization: `Bearer ${survivor.merchantToken}` } });
    expect((await listed.json()).meta.total).toBeGreaterThan(1);
    await survivor.close();
    // Temporary files of the killed writers are cleaned up by the next start, and their locks are stale.
    expect(readdirSync(dir).sort()).toEqual(['state.json', 'state.json.journal']);
  });
});

/** A valid state, as a fresh sandbox writes it. */
function setupState(dir: string) {
  const file = join(dir, 'valid.json');
  createSandbox({ stateFile: file });
  return JSON.parse(readFileSync(file, 'utf8'));
}
