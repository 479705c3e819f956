#!/usr/bin/env node
// @ts-check
// `pnpm example [name ...]`: runs the READMEs' examples as written, with tsx, against a sandbox it
// starts in this process on a free loopback port, or against REPORTEI_CONNECT_BASE_URL when it is set
// (then with your REPORTEI_CONNECT_* values). Without a name it lists them; `all` runs every one. An
// example that needs Redis gets REDIS_URL, or a redis-server started for the run when it is not set.

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startRedis } from '@reportei-connect/redis-server';
import { createSandbox } from '@reportei-connect/sandbox';
import { EXAMPLES, ROOT } from './examples.mjs';

/** The four variables `pnpm sandbox` prints, which every example reads. */
export const ENV_NAMES = ['REPORTEI_CONNECT_BASE_URL', 'REPORTEI_CONNECT_TOKEN', 'REPORTEI_CONNECT_CUSTOMER_TOKEN', 'REPORTEI_CONNECT_CUSTOMER_INTEGRATION'];

/**
 * A sandbox in this process, listening on a free loopback port, and its four variables.
 *
 * @param {import('@reportei-connect/sandbox').SandboxOptions} [options]
 */
export async function startSandbox(options = {}) {
  const sandbox = createSandbox(options);
  const server = await sandbox.listen({ port: 0 });
  /** @type {Record<string, string>} */
  const env = { ...server.env };
  return {
    sandbox,
    env,
    close: async () => {
      await server.close();
      await sandbox.close();
    },
  };
}

const tsx = createRequire(import.meta.url).resolve('tsx');

/**
 * Runs one example with tsx (`node --import tsx <file>`), from its package's folder, with `env` added to
 * this process's environment. Resolves with its exit code and what it printed; `print` passes the output
 * through as it comes.
 *
 * @param {import('./examples.mjs').Example} example
 * @param {Record<string, string>} env
 * @param {{ print?: boolean }} [options]
 * @returns {Promise<{ code: number | null, stdout: string, stderr: string }>}
 */
export function runExample(example, env, { print = false } = {}) {
  const file = path.join(ROOT, example.file);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tsx, file, ...(example.args ?? [])], {
      cwd: path.dirname(file),
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (/** @type {string} */ chunk) => {
      stdout += chunk;
      if (print) process.stdout.write(chunk);
    });
    child.stderr.setEncoding('utf8').on('data', (/** @type {string} */ chunk) => {
      stderr += chunk;
      if (print) process.stderr.write(chunk);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const usage = () =>
  [
    'Usage: pnpm example <name> [<name> ...] | all',
    '',
    'Runs the README examples as written (with tsx) against a sandbox started for the run, on a free',
    'loopback port; with REPORTEI_CONNECT_BASE_URL set, against that server instead, with your',
    `${ENV_NAMES.slice(1).join(', ')}. Those that need Redis use REDIS_URL, or a redis-server`,
    'started for the run.',
    '',
    ...EXAMPLES.map((example) => `  ${example.name.padEnd(12)} ${example.file}: ${example.about}`),
  ].join('\n');

async function main() {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  if (values.help || positionals.length === 0) {
    console.log(usage());
    return;
  }
  const unknown = positionals.filter((name) => name !== 'all' && !EXAMPLES.some((example) => example.name === name));
  if (unknown.length > 0) {
    console.error(`pnpm example: no example named ${unknown.join(', ')}.\n\n${usage()}`);
    process.exitCode = 2;
    return;
  }
  const chosen = positionals.includes('all') ? EXAMPLES : EXAMPLES.filter((example) => positionals.includes(example.name));
  const own = process.env.REPORTEI_CONNECT_BASE_URL ? undefined : await startSandbox();
  if (own) console.error(`pnpm example: a sandbox for this run at ${own.env.REPORTEI_CONNECT_BASE_URL}`);
  else console.error(`pnpm example: against ${process.env.REPORTEI_CONNECT_BASE_URL} (REPORTEI_CONNECT_BASE_URL)`);
  const failed = [];
  /** @type {import('@reportei-connect/redis-server').RunningRedis | undefined} */
  let redis;
  try {
    if (!process.env.REDIS_URL && chosen.some((example) => example.redis)) {
      redis = await startRedis();
      console.error(`pnpm example: a redis-server for this run at ${redis.url}`);
    }
    for (const example of chosen) {
      console.error(`\n── ${example.name}: ${example.file}`);
      const { code } = await runExample(example, { ...own?.env, ...(redis && { REDIS_URL: redis.url }) }, { print: true });
      if (code !== 0) failed.push(example.name);
    }
  } finally {
    await own?.close();
    await redis?.stop();
  }
  if (failed.length > 0) {
    console.error(`\npnpm example: ${failed.join(', ')} failed (their output is above).`);
    process.exitCode = 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
