import Bottleneck from 'bottleneck';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { applyBottleneckRedisFix, isBottleneckRedisFixApplied, lostState } from '../../src/scheduler/bottleneck-redis-fix.js';
import { needsRedis, redisServer, startRedis, type TestRedis } from '../helpers/redis-server.js';
import { sleep } from './scheduler-helpers.js';

let redis: TestRedis;
let client: Redis;
let connection: Bottleneck.IORedisConnection;
const limiters: Bottleneck[] = [];
const errors: unknown[] = [];

beforeAll(async () => {
  if (redisServer.skip) return;
  redis = await startRedis();
  client = new Redis(redis.url);
  connection = new Bottleneck.IORedisConnection({ client });
  connection.on('error', (error) => errors.push(error));
});
afterAll(async () => {
  await connection?.disconnect();
  await redis?.stop();
});
afterEach(async () => {
  await Promise.all(limiters.splice(0).map((limiter) => limiter.disconnect()));
  errors.splice(0);
});

function limiter(id: string, options: Bottleneck.ConstructorOptions & { heartbeatInterval?: number }): Bottleneck {
  const created = new Bottleneck({ datastore: 'ioredis', connection, id, ...options });
  created.on('error', (error) => errors.push(error));
  limiters.push(created);
  return created;
}

describe('lostState', () => {
  it.each([
    ['SETTINGS_KEY_NOT_FOUND', 'SETTINGS_KEY_NOT_FOUND'],
    ['ERR SETTINGS_KEY_NOT_FOUND', 'SETTINGS_KEY_NOT_FOUND'],
    ['ERR UNKNOWN_CLIENT', 'UNKNOWN_CLIENT'],
    ['UNKNOWN_CLIENT', 'UNKNOWN_CLIENT'],
    ['ERR something else', undefined],
    ['Connection is closed.', undefined],
  ])('reads %j as %s', (message, expected) => {
    expect(lostState(new Error(message))).toBe(expected);
  });
});

describe.skipIf(redisServer.skip)(needsRedis('bottleneck Redis recovery fix'), () => {
  it('is installed on this bottleneck version', () => {
    expect(applyBottleneckRedisFix()).toBe(true);
    expect(isBottleneckRedisFixApplied()).toBe(true);
  });

  it("recovers after the limiter's keys expire (Redis 7 answers ERR SETTINGS_KEY_NOT_FOUND)", async () => {
    applyBottleneckRedisFix();
    // The trap itself: a `timeout` makes bottleneck PEXPIRE its keys; an idle limiter loses them.
    const expiring = limiter('fix-expiry', { maxConcurrent: 2, timeout: 200 });
    await expect(expiring.schedule(async () => 'first')).resolves.toBe('first');
    await sleep(400);
    expect(await client.exists('b_fix-expiry_settings')).toBe(0);
    await expect(expiring.schedule(async () => 'after expiry')).resolves.toBe('after expiry');
    expect(await client.hget('b_fix-expiry_settings', 'maxConcurrent')).toBe('2');
  });

  it('lets jobs that only wait for a refill run after the settings key is deleted', async () => {
    applyBottleneckRedisFix();
    const bucket = limiter('fix-heartbeat', {
      reservoir: 0,
      reservoirIncreaseInterval: 300,
      reservoirIncreaseAmount: 1,
      reservoirIncreaseMaximum: 1,
      heartbeatInterval: 50,
    });
    await bucket.ready();
    const job = bucket.schedule(async () => 'ran');
    await sleep(100);
    expect(await client.del('b_fix-heartbeat_settings')).toBe(1);
    // The job waits for a refill, which only the heartbeat notices: the stock heartbeat ignores the lost key.
    const done = await Promise.race([job, sleep(2000).then(() => 'stuck')]);
    expect(done).toBe('ran');
    expect(errors).toEqual([]);
  });
});
