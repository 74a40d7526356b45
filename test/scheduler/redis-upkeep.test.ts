import Bottleneck from 'bottleneck';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { applyBottleneckRedisFix } from '../../src/scheduler/bottleneck-redis-fix.js';
import { DEAD_CLIENT_MS, RedisUpkeep, requestLimiterKeys, sweepRequestLimiter } from '../../src/scheduler/redis-upkeep.js';
import { needsRedis, redisServer, startRedis, type TestRedis } from '../helpers/redis-server.js';
import { deferred, sleep } from './scheduler-helpers.js';

let redis: TestRedis;
let client: Redis;
const connections: Bottleneck.IORedisConnection[] = [];
const limiters: Bottleneck[] = [];

beforeAll(async () => {
  if (redisServer.skip) return;
  applyBottleneckRedisFix();
  redis = await startRedis();
  client = new Redis(redis.url);
});
afterAll(async () => {
  client?.disconnect();
  await redis?.stop();
});
afterEach(async () => {
  await Promise.all(limiters.splice(0).map((limiter) => limiter.disconnect()));
  await Promise.all(connections.splice(0).map((connection) => connection.disconnect(false)));
});

/** A limiter on its own connection, like a process of its own. */
function processLimiter(id: string, options: Bottleneck.ConstructorOptions, connection = newConnection()): Bottleneck {
  const limiter = new Bottleneck({ datastore: 'ioredis', connection, id, heartbeatInterval: 50, ...options });
  limiter.on('error', () => undefined);
  limiters.push(limiter);
  return limiter;
}

function newConnection(): Bottleneck.IORedisConnection {
  const connection = new Bottleneck.IORedisConnection({ clientOptions: { port: redis.port, host: '127.0.0.1' } });
  connections.push(connection);
  return connection;
}

describe.skipIf(redisServer.skip)(needsRedis('redis upkeep'), () => {
  it('gives back, when stopping, the slots of jobs the limiter dropped without freeing', async () => {
    const id = 'upkeep-release';
    const connection = newConnection();
    const limiter = processLimiter(id, { maxConcurrent: 4, minTime: 10_000 }, connection);
    const upkeep = new RedisUpkeep(connection, id, (error) => {
      throw error;
    });
    await limiter.schedule(async () => 'first');
    // Registered (a slot taken in Redis), then waiting out minTime when the run stops.
    const waiting = limiter.schedule(async () => 'second').catch(() => 'dropped');
    await sleep(100);
    await limiter.stop({ dropWaitingJobs: true });
    await expect(waiting).resolves.toBe('dropped');
    expect(await client.hget(`b_${id}_settings`, 'running')).toBe('1');
    await upkeep.stop(limiter);
    // Any tick frees them; this limiter's heartbeat is one.
    await sleep(200);
    expect(await client.hget(`b_${id}_settings`, 'running')).toBe('0');
  });

  it('gives back the concurrency slots of a process that died mid-request', async () => {
    const id = 'upkeep-dead';
    const dying = processLimiter(id, { maxConcurrent: 2 });
    const hold = deferred();
    const started = [deferred(), deferred()];
    void dying.schedule(async () => (started[0].resolve(), hold.promise)).catch(() => undefined);
    void dying.schedule(async () => (started[1].resolve(), hold.promise)).catch(() => undefined);
    await Promise.all(started.map((d) => d.promise));
    // kill -9: no free, no more heartbeats.
    await dying.disconnect(false);
    const survivor = processLimiter(id, { maxConcurrent: 2 });
    await survivor.ready();
    expect(await client.hget(`b_${id}_settings`, 'running')).toBe('2');

    // Not yet silent long enough: nothing is taken from it.
    expect(await sweepRequestLimiter(client, id, Date.now())).toEqual({ reaped: 0, lifted: false });
    expect(await sweepRequestLimiter(client, id, Date.now() + DEAD_CLIENT_MS + 1000)).toEqual({ reaped: 2, lifted: false });
    await expect(Promise.race([survivor.schedule(async () => 'ran'), sleep(2000).then(() => 'stuck')])).resolves.toBe('ran');
  });

  it('lifts a pause whose owner is gone, but not one that is still marked', async () => {
    const id = 'upkeep-pause';
    const limiter = processLimiter(id, { maxConcurrent: 4 });
    await limiter.ready();
    const connection = new Bottleneck.IORedisConnection({ client: client.duplicate() });
    connections.push(connection);
    const upkeep = new RedisUpkeep(connection, id, (error) => {
      throw error;
    });
    try {
      await sleep(50);
      upkeep.markPaused(Date.now() + 200);
      // markPaused does not wait for Redis, and its connection is not this test's: wait until the marker lands.
      const marker = requestLimiterKeys(id)[4]!;
      while ((await client.exists(marker)) === 0) await sleep(10);
      await limiter.updateSettings({ reservoir: 0 });
      expect(await sweepRequestLimiter(client, id, Date.now())).toEqual({ reaped: 0, lifted: false });
      expect(await client.hget(`b_${id}_settings`, 'reservoir')).toBe('0');
      // The marker outlives the pause by the grace period; once it is gone the pause is an orphan.
      await client.del(marker);
      expect(await sweepRequestLimiter(client, id, Date.now())).toEqual({ reaped: 0, lifted: true });
      await expect(Promise.race([limiter.schedule(async () => 'ran'), sleep(2000).then(() => 'stuck')])).resolves.toBe('ran');
    } finally {
      await upkeep.stop();
    }
  });
});
