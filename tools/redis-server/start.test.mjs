import { createConnection } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startRedis } from './start.mjs';

/** Sends one inline command and resolves with the first line of the answer. @param {string} url @param {string} command */
function send(url, command) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: hostname, port: Number(port) }, () => socket.write(`${command}\r\n`));
    socket.setEncoding('utf8').once('data', (data) => {
      socket.end();
      resolve(String(data).split('\r\n')[0]);
    });
    socket.once('error', reject);
  });
}

describe('startRedis', () => {
  it('starts a redis-server answering on a loopback port, in memory only, and stops it', async () => {
    const redis = await startRedis();
    try {
      expect(redis.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
      expect(await send(redis.url, 'PING')).toBe('+PONG');
      expect(await send(redis.url, 'CONFIG GET appendonly')).toBe('*2');
    } finally {
      await redis.stop();
    }
    expect(redis.process.exitCode !== null || redis.process.signalCode !== null).toBe(true);
  });

  it('stops a server that was stopped with SIGSTOP', async () => {
    const redis = await startRedis();
    redis.process.kill('SIGSTOP');
    await redis.stop();
    expect(redis.process.signalCode ?? redis.process.exitCode).not.toBeNull();
  });

  it('says how to install redis-server when there is none', async () => {
    await expect(startRedis({ command: 'redis-server-that-is-not-installed' })).rejects.toThrow(/could not start .*apt-get install -y redis-server/);
  });
});
