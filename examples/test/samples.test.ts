// Every code sample of the docs site, run as a reader would run it with the sandbox's four lines loaded:
// the cURL ones by a shell with the real curl (and jq), the TypeScript ones as modules of their own, and
// the TypeScript of the guides too. They share one sandbox, on a free loopback port. The samples are
// made as the docs build makes them (codegen-samples on the bundled spec), so this test waits for no
// site build.

import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { addCodeSamples } from '@reportei-connect/codegen-samples';
import { createSandbox, type RequestRecord } from '@reportei-connect/sandbox';
import { listOperations, loadDocument, valueAt } from '@reportei-connect/spec-model';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const document = addCodeSamples(loadDocument(fileURLToPath(import.meta.resolve('@reportei-connect/openapi/openapi.json'))));
const operations = listOperations(document).map(({ id, method, pointer }) => ({ operationId: id, method, operation: valueAt(document, pointer) }));
const operationIds = operations.map(({ operationId }) => operationId);

/** The ```ts blocks of the guides: the overview and every tag's description. */
const descriptions = [valueAt(document, '/info/description'), ...((valueAt(document, '/tags') ?? []) as { description?: unknown }[]).map((tag) => tag.description)];
const guideBlocks = descriptions.flatMap((markdown, index) =>
  [...String(markdown ?? '').matchAll(/```(?:ts|typescript)\n([\s\S]*?)```/g)].map((match, block) => ({ name: `guide-${index}-${block}`, source: match[1]! })),
);

interface Sample {
  operationId: string;
  method: string;
  lang: 'curl' | 'typescript';
  source: string;
}

const samples: Sample[] = operations.flatMap(({ operationId, method, operation }) =>
  (operation['x-codeSamples'] as { lang: Sample['lang']; source: string }[]).map(({ lang, source }) => ({ operationId, method, lang, source })),
);

const requests: RequestRecord[] = [];
const webhooks: string[] = [];
const sandbox = createSandbox({
  seed: 'docs-samples',
  onRequest: (record) => requests.push(record),
  // getMetricsDataAsync's sample names a webhook URL on the internet: the test answers it on this
  // machine. A receiver on this machine (the webhook guide's) gets its deliveries.
  webhooks: {
    delayMs: 0,
    fetch: async (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      if (url.startsWith('http://127.0.0.1:')) return fetch(input, init);
      webhooks.push(url);
      return new Response(null, { status: 204 });
    },
  },
});
let server: Awaited<ReturnType<typeof sandbox.listen>>;
let env: Record<string, string>;
const dir = fileURLToPath(new URL('../test-output/samples/', import.meta.url));

beforeAll(async () => {
  server = await sandbox.listen({ port: 0 });
  env = { ...server.env };
  rmSync(dir, { recursive: true, force: true });
  // Inside the package, so that `@reportei-connect/client` resolves as in a reader's project.
  mkdirSync(dir, { recursive: true });
});

afterAll(async () => {
  await server?.close();
  await sandbox.close();
});

/** Runs a cURL sample with bash, given only PATH and the four variables; resolves with its stdout. */
function runCurl(sample: Sample): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-eo', 'pipefail', '-c', sample.source], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`the cURL sample of ${sample.operationId} exited with ${code}: ${stderr}`))));
  });
}

/**
 * Imports TypeScript as a module of its own (the four variables are set, console.log is captured by
 * the caller): it rejects with the client's ConnectError when a call fails.
 */
async function runModule(name: string, source: string): Promise<void> {
  const file = `${dir}${name.replace(/[^A-Za-z0-9]+/g, '-')}.ts`;
  writeFileSync(file, source);
  await import(/* @vite-ignore */ file);
}

const runTypeScript = (sample: Sample) => runModule(sample.operationId, sample.source);

/** Sets the four variables and captures console.log and console.error while `body` runs. */
async function withSandboxEnvironment<T>(body: (logs: unknown[][]) => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  const logs: unknown[][] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void logs.push(args));
  const error = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void logs.push(args));
  try {
    return await body(logs);
  } finally {
    log.mockRestore();
    error.mockRestore();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

const run = (sample: Sample) => (sample.lang === 'curl' ? runCurl(sample).then((output) => ({ sample, output })) : runTypeScript(sample).then(() => ({ sample, output: '' })));

describe('the code samples, run against a sandbox', () => {
  it('has a cURL and a TypeScript sample for each operation of the spec', () => {
    expect(operationIds.length).toBeGreaterThan(0);
    expect(samples.map(({ operationId, lang }) => `${operationId} ${lang}`)).toEqual(operationIds.flatMap((id) => [`${id} curl`, `${id} typescript`]));
  });

  it('succeed, every request of every sample answered with a 2xx, every operation called by both samples', async () => {
    await withSandboxEnvironment(async (logs) => {
      // The samples that delete take the sandbox's demo integration away from the others: those run
      // last, one at a time, each on a freshly reset sandbox; the others run all at once.
      const deleting = samples.filter((sample) => sample.method === 'DELETE');
      const outputs = await Promise.all(samples.filter((sample) => sample.method !== 'DELETE').map(run));
      // getMetricsDataAsync's webhooks went to the test's fetch, none to the sample's URL on the internet.
      await sandbox.webhooks.flush();
      expect(new Set(webhooks)).toEqual(new Set(['https://your-webhook-url.com/receive-metrics']));
      for (const sample of deleting) {
        sandbox.reset();
        outputs.push(await run(sample));
      }
      for (const { sample, output } of outputs.filter(({ sample }) => sample.lang === 'curl')) {
        expect(JSON.parse(output), `the cURL sample of ${sample.operationId} prints the response`).toBeTypeOf('object');
      }
      // Each TypeScript sample logs what its call answered.
      expect(logs).toHaveLength(samples.filter((sample) => sample.lang === 'typescript').length);
    });
    expect(requests.filter((request) => request.status === null || request.status >= 300)).toEqual([]);
    for (const operationId of operationIds) {
      expect(requests.filter((request) => request.operationId === operationId).length, operationId).toBeGreaterThanOrEqual(2);
    }
  });

  it('run the TypeScript blocks of the guides too, but for the two that cannot end by themselves', async () => {
    const blocks = guideBlocks;
    // The mock's guide calls the mock, which this test does not start; the webhook guide's first block
    // is a receiver that serves until it is stopped (its second one, which stops, runs).
    const notRun = (source: string) => source.includes("baseUrl: 'http://127.0.0.1:4010'") || source.includes('.listen(3000)');
    expect(blocks.filter(({ source }) => notRun(source))).toHaveLength(2);
    sandbox.reset();
    await withSandboxEnvironment(async (logs) => {
      await Promise.all(blocks.filter(({ source }) => !notRun(source)).map(({ name, source }) => runModule(name, source)));
      await sandbox.webhooks.flush();
      expect(logs).toContainEqual(['delivered:', { reach: expect.objectContaining({ values: expect.any(Number) }) }]);
    });
  });
});
