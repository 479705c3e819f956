import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sandboxProcess } from './sandbox-process.mjs';

const scratch = mkdtempSync(join(tmpdir(), 'dev-sandbox-'));
/** @type {string[]} */
const exits = [];
const sandbox = sandboxProcess({ port: 0, state: join(scratch, 'state.json'), onExit: (message) => exits.push(message) });
afterAll(async () => {
  await sandbox.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** @param {string[]} lines the REPORTEI_CONNECT_* lines */
const settingsOf = (lines) => Object.fromEntries(lines.map((line) => /** @type {[string, string]} */ (line.split('=', 2))));

describe('the sandbox pnpm dev runs', () => {
  it('keeps what was written across a restart, through its --state file', async () => {
    const first = settingsOf(await sandbox.start());
    const headers = { authorization: `Bearer ${first.REPORTEI_CONNECT_TOKEN}`, 'content-type': 'application/json' };
    const created = await fetch(`${first.REPORTEI_CONNECT_BASE_URL}/customers`, { method: 'POST', headers, body: JSON.stringify({ name: 'Kept across restarts' }) });
    expect(created.status).toBe(201);

    const second = settingsOf(await sandbox.restart());
    const list = await (await fetch(`${second.REPORTEI_CONNECT_BASE_URL}/customers?per_page=100`, { headers })).json();
    expect(list.data.map((/** @type {{ name: string }} */ customer) => customer.name)).toContain('Kept across restarts');
    expect(exits).toEqual([]);
  });

  it('says why when the sandbox cannot start', async () => {
    const blocked = sandboxProcess({ port: 70_000, state: join(scratch, 'other.json'), onExit: () => {} });
    await expect(blocked.start()).rejects.toThrow(/the sandbox ended \(exit code 2\): connect-sandbox: --port must be a number/);
  });
});
