// The commands that are not operations: `webhooks listen` (with getMetricsDataAsync, whose webhook it
// receives), `sandbox` and `completion`; and `--sandbox`'s defaults against the sandbox's own.
import { execFileSync, spawn } from 'node:child_process';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { API_PREFIX, DEFAULT_HOST, DEFAULT_MERCHANT_TOKEN, DEFAULT_PORT } from '@reportei-connect/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX } from '../src/connection.js';
import { BIN, connect, exitOf, json, responseProblems, start, startSandbox, type TestSandbox, waitForOutput } from './helpers.js';

let box: TestSandbox;

beforeAll(async () => {
  box = await startSandbox();
});

afterAll(async () => {
  await box?.close();
});

describe.concurrent('connect', () => {
  it('webhooks listen: prints each metrics webhook of metrics get-data-async, forwards it, refuses a malformed one', async () => {
    // The application the webhooks are forwarded to.
    const received: { url?: string; headers: IncomingHttpHeaders; body: string }[] = [];
    let arrived = () => {};
    const forwarded = new Promise<void>((resolve) => (arrived = resolve));
    const target = createServer(async (request, response) => {
      let body = '';
      for await (const chunk of request) body += chunk;
      received.push({ url: request.url, headers: request.headers, body });
      response.writeHead(200).end('thanks');
      arrived();
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/hooks`;

    const listener = start(['webhooks', 'listen', '--port', '0', '--forward-to', targetUrl], box.env);
    try {
      const ready = await waitForOutput(listener, 'stderr', /listening on (http:\S+\/) /);
      const listenUrl = /listening on (http:\S+\/) /.exec(ready)?.[1] as string;
      const printed = waitForOutput(listener, 'stdout', /\n/);

      const accepted = json(
        await connect(
          ['metrics', 'get-data-async', '--customer-integration', box.sandbox.integration, '--start', '2025-01-01', '--end', '2025-01-31', '--metric', 'ig:reach', '--metrics-webhook-url', `${listenUrl}report`],
          box.env,
        ),
        box.tokens,
      );
      expect(responseProblems('getMetricsDataAsync', accepted)).toEqual([]);

      // Printed as one JSON line (standard output is a pipe), then forwarded as it came.
      const results = JSON.parse(await printed);
      expect(Object.keys(results)).toEqual(['ig:reach']);
      await forwarded;
      expect(received).toHaveLength(1);
      expect(JSON.parse(received[0]?.body ?? '')).toEqual(results);
      expect(received[0]?.headers['content-type']).toMatch(/^application\/json/);
      expect((await box.sandbox.webhooks.flush())[0]?.attempts.at(-1)?.status).toBe(200);

      const malformed = await fetch(listenUrl, { method: 'POST', body: '{"ig:reach": 5}', headers: { 'content-type': 'application/json' } });
      expect(malformed.status).toBe(400);
      expect((await malformed.json()).message).toMatch(/malformed at "\/ig:reach"/);
      expect(received).toHaveLength(1);
    } finally {
      listener.kill('SIGINT');
      expect(await exitOf(listener)).toBe(0);
      target.close();
    }
  });

  it('sandbox: runs connect-sandbox with its flags, until stopped', async () => {
    const sandbox = start(['sandbox', '--port', '0', '--quiet', '--seed', 'cli-sandbox-command'], {});
    try {
      const lines = await waitForOutput(sandbox, 'stdout', /REPORTEI_CONNECT_CUSTOMER_INTEGRATION=\S+\n/);
      const env = Object.fromEntries(lines.trim().split('\n').map((line) => line.split('=', 2) as [string, string]));
      expect(Object.keys(env)).toEqual(['REPORTEI_CONNECT_BASE_URL', 'REPORTEI_CONNECT_TOKEN', 'REPORTEI_CONNECT_CUSTOMER_TOKEN', 'REPORTEI_CONNECT_CUSTOMER_INTEGRATION']);
      expect(json(await connect(['merchants', 'get-settings'], env), []).merchant.name).toBe('Sandbox Merchant');
    } finally {
      sandbox.kill('SIGTERM');
      expect(await exitOf(sandbox)).toBe(0);
    }
  });

  it('completion bash: a script whose completions come from the command table', async () => {
    const script = (await connect(['completion', 'bash'], {})).stdout;
    // The script as a user sources it, `connect` on PATH, completing `connect customers up<Tab>` and a flag.
    const complete = (words: string) =>
      execFileSync('bash', ['--norc', '-c', `${script}\nconnect() { node ${JSON.stringify(BIN)} "$@"; }\nCOMP_WORDS=(connect ${words}); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _connect_complete; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8' });
    expect(complete('customers up')).toBe('update\nupdate-payment-status\n');
    expect(complete('customers list --p')).toBe('--page\n--per-page\n');
  });

  it('stops quietly, with status 0, when the reader of its output has gone (`connect --help | head -1`)', async () => {
    const child = spawn(process.execPath, [BIN, '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    // Closed before the CLI has started, so its first write finds no reader.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    expect(await exitOf(child)).toBe(0);
    expect(stderr).toBe('');
  });

  it.each(['zsh', 'fish'])('completion %s: a script asking connect for the candidates', async (shell) => {
    const run = await connect(['completion', shell], {});
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('connect __complete ');
  });
});

describe('--sandbox', () => {
  it("is the sandbox's default address and merchant token", () => {
    expect(SANDBOX).toEqual({ baseUrl: `http://${DEFAULT_HOST}:${DEFAULT_PORT}${API_PREFIX}`, token: DEFAULT_MERCHANT_TOKEN });
  });
});
