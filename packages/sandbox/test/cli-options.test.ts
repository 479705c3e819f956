import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../src/cli-options.js';

describe('the command line', () => {
  it('reads every option, with the defaults', () => {
    expect(parseCommandLine([])).toEqual({
      kind: 'run',
      options: { port: 4011, host: '127.0.0.1', state: undefined, seed: undefined, merchantToken: undefined, rateLimit: 6000, rateLimitPerSecond: undefined, webhookDelayMs: 1000, redirectUrl: undefined, allowOrigins: [], writeEnv: undefined, quiet: false },
    });
    const args = ['--port', '0', '--host', '0.0.0.0', '--state', 's.json', '--seed', 'x', '--merchant-token', 't', '--rate-limit', '2', '--rate-limit-per-second', '1', '--webhook-delay-ms', '0'];
    const parsed = parseCommandLine([...args, '--redirect-url', 'https://m.example/back', '--allow-origin', 'https://a.example', '--allow-origin', 'http://b.example:8080', '--write-env', '.env', '--quiet']);
    expect(parsed).toEqual({
      kind: 'run',
      options: { port: 0, host: '0.0.0.0', state: 's.json', seed: 'x', merchantToken: 't', rateLimit: 2, rateLimitPerSecond: 1, webhookDelayMs: 0, redirectUrl: 'https://m.example/back', allowOrigins: ['https://a.example', 'http://b.example:8080'], writeEnv: '.env', quiet: true },
    });
    expect(parseCommandLine(['--help'])).toEqual({ kind: 'help' });
  });

  it('refuses each bad option, saying what it wants', () => {
    const cases: [string[], string][] = [
      [['--port', 'x'], '--port must be a number from 0 to 65535, got "x"'],
      [['--port', '70000'], '--port must be a number from 0 to 65535, got "70000"'],
      [['--rate-limit', '0'], '--rate-limit must be a whole number of requests per minute, 1 or more, got "0"'],
      [['--rate-limit-per-second', '0.5'], '--rate-limit-per-second must be a whole number of requests per second, 1 or more, got "0.5"'],
      [['--webhook-delay-ms', 'soon'], '--webhook-delay-ms must be a whole number of milliseconds, got "soon"'],
      [['--redirect-url', 'javascript:alert(1)'], '--redirect-url must be an http or https URL, got "javascript:alert(1)"'],
      [['--merchant-token', 'a b'], '--merchant-token must be a non-empty token without spaces'],
      [['--allow-origin', 'https://a.example/path'], '--allow-origin must be an origin such as https://app.example (scheme, host and port only), got "https://a.example/path"'],
      [['--write-env', ''], '--write-env must name a file, such as .env'],
      [['--allow-origin', '*'], '--allow-origin must be an origin such as https://app.example (scheme, host and port only), got "*"'],
    ];
    for (const [args, message] of cases) expect(parseCommandLine(args), args.join(' ')).toEqual({ kind: 'error', message });
    expect(parseCommandLine(['--frobnicate'])).toMatchObject({ kind: 'error', message: expect.stringContaining("Unknown option '--frobnicate'") });
  });
});
