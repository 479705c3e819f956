// The READMEs show the example files exactly, and every example runs green, as `pnpm example all`
// runs them: with tsx, against one sandbox in this process on a free loopback port (and one
// redis-server, for those that need Redis).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startRedis } from '@reportei-connect/redis-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLES, ROOT } from '../examples.mjs';
import { ENV_NAMES, runExample, startSandbox } from '../run.mjs';

const read = (/** @type {string} */ file) => readFileSync(path.join(ROOT, file), 'utf8');

describe('the README examples', () => {
  it.each(EXAMPLES)('$readme shows $file as it is', ({ readme, file }) => {
    expect(read(readme)).toContain(`\`\`\`ts\n${read(file)}\`\`\``);
  });

  it('every README names the command that runs its example', () => {
    for (const { readme, name } of EXAMPLES) expect(read(readme), readme).toContain(`pnpm example ${name}`);
  });

  /** @type {Awaited<ReturnType<typeof startSandbox>>} */
  let own;
  /** @type {import('@reportei-connect/redis-server').RunningRedis} */
  let redis;
  beforeAll(async () => {
    [own, redis] = await Promise.all([startSandbox({ webhooks: { delayMs: 0 } }), startRedis()]);
  });
  afterAll(async () => {
    await Promise.all([own?.close(), redis?.stop()]);
  });

  it('run green against a sandbox, each printing what shows it worked, none writing to stderr', async () => {
    expect(Object.keys(own.env)).toEqual(ENV_NAMES);
    const results = await Promise.all(EXAMPLES.map(async (example) => ({ example, ...(await runExample(example, { ...own.env, ...(example.redis && { REDIS_URL: redis.url }) })) })));
    for (const { example, code, stdout, stderr } of results) {
      expect({ name: example.name, code, stderr }).toEqual({ name: example.name, code: 0, stderr: '' });
      if (example.expect) expect(stdout, example.name).toMatch(example.expect);
    }
  });
});
