import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';

const read = (path: string) => readFileSync(fileURLToPath(new URL(path, import.meta.url)), 'utf8');

describe('README', () => {
  it('shows the examples as they are', () => {
    const blocks = (language: string) => [...read('../README.md').matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((match) => match[1]);
    expect(blocks('ts')).toContain(read('../examples/quickstart.ts'));
    expect(blocks('ts')).toContain(read('../examples/webhook.ts'));
    expect(blocks('sh')).toContain(read('../examples/flow.sh'));
  });

  it('documents every option of the CLI', () => {
    const readme = read('../README.md');
    const cli = read('../src/cli-options.ts');
    for (const [option] of cli.matchAll(/'?([a-z][a-z-]+)'?: \{ type: /g)) {
      const name = option.replace(/'/g, '').split(':')[0]!;
      if (name !== 'help') expect(readme).toContain(`--${name}`);
    }
  });

  it('runs the example (type-checked by the workspace type-check) with the outputs its comments say', async () => {
    const logs: unknown[][] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void logs.push(args));
    try {
      await import('../examples/quickstart.js');
    } finally {
      log.mockRestore();
    }
    expect(logs[0]).toEqual([expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)]);
    expect(logs[1]).toEqual([expect.any(Number), expect.objectContaining({ labels: expect.any(Array), values: expect.any(Array) })]);
    expect((logs[1]![1] as { labels: unknown[] }).labels).toHaveLength(31);
    expect(logs[2]).toEqual([401, expect.stringMatching(/^The customer's trial ended on /)]);
    expect(logs[3]).toEqual([0]);
    expect(logs[4]).toEqual([500]);
    expect(logs.slice(5, 7)).toEqual([['Demo Customer'], ['Acme']]);
    expect(logs[7]).toEqual([expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/api$/)]);
    expect(logs[8]).toEqual([['REPORTEI_CONNECT_BASE_URL', 'REPORTEI_CONNECT_TOKEN', 'REPORTEI_CONNECT_CUSTOMER_TOKEN', 'REPORTEI_CONNECT_CUSTOMER_INTEGRATION']]);
  });
});
