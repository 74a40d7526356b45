import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { connectRedis } from '../../src/scheduler/redis-connect.js';
import { describeRedisUrl } from '../../src/scheduler/redis-url.js';
import { freePort, needsRedis, redisServer, startRedis } from '../helpers/redis-server.js';

describe('describeRedisUrl', () => {
  it.each([
    ['redis://127.0.0.1:6379', 'redis://127.0.0.1:6379'],
    ['redis://:s3cret@cache.internal:6380/2', 'redis://cache.internal:6380/2'],
    ['rediss://user:s3cret@cache.internal', 'rediss://cache.internal'],
  ])('shows %s as %s, never the password', (url, shown) => {
    expect(describeRedisUrl(url)).toBe(shown);
  });

  it.each([['localhost:6379'], ['http://cache:6379'], ['not a url']])('refuses %j with a UsageError', (url) => {
    expect(() => describeRedisUrl(url)).toThrow(UsageError);
  });
});

describe('connectRedis', () => {
  it('fails fast with a UsageError naming the host, not the password, when nothing listens', async () => {
    const port = await freePort();
    const started = Date.now();
    const error = await connectRedis(`redis://:pw-123@127.0.0.1:${port}`).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain(`cannot reach Redis at redis://127.0.0.1:${port} (ECONNREFUSED)`);
    expect((error as Error).message).not.toContain('pw-123');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it.skipIf(redisServer.skip)(needsRedis('connects and answers PING'), async () => {
    const redis = await startRedis();
    try {
      const client = await connectRedis(redis.url);
      expect(await client.ping()).toBe('PONG');
      client.disconnect();
    } finally {
      await redis.stop();
    }
  });
});
