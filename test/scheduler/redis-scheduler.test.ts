import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openRedisLink, type RedisLink } from '../../src/scheduler/redis-link.js';
import type { SchedulerOptions } from '../../src/scheduler/scheduler.js';
import { needsRedis, redisServer, startRedis, type TestRedis } from '../helpers/redis-server.js';
import { sleep, startRecording } from './scheduler-helpers.js';

/**
 * Two schedulers on two Redis connections stand for two processes: what one spends of the account's
 * concurrency, request rate, token rate or pause, the other must see.
 */

let redis: TestRedis;
const open: Array<{ close(): Promise<void> }> = [];
let account = 0;
/** Limiter and connection errors: every test must end without any. */
const errors: unknown[] = [];

beforeAll(async () => {
  if (redisServer.skip) return;
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});
afterEach(async () => {
  // Schedulers first, then their connections.
  for (const item of open.splice(0).reverse()) await item.close();
  errors.splice(0);
});

/** Two "processes" sharing one (fresh) account. */
async function twoProcesses(options: Omit<SchedulerOptions, 'provider' | 'limiterOptions'>) {
  account += 1;
  const identity = { provider: 'openai' as const, baseUrl: `http://api.test/${account}`, apiKey: 'sk-shared' };
  const links: RedisLink[] = [];
  for (let i = 0; i < 2; i += 1) {
    const link = await openRedisLink(redis.url, identity, (error) => errors.push(error));
    open.push(link);
    links.push(link);
  }
  return links.map((link) => {
    const recording = startRecording({ ...options, limiterOptions: link.limiterOptions });
    open.push(recording.scheduler);
    return recording;
  });
}

function expectNoErrors(...recordings: Array<ReturnType<typeof startRecording>>): void {
  const warnings = recordings.flatMap((recording) => recording.events.filter((event) => event.type === 'warning'));
  expect([...errors, ...warnings]).toEqual([]);
}

describe.skipIf(redisServer.skip)(needsRedis('clustered scheduler (--redis)'), () => {
  it('shares the request rate: 600 rpm for both together, not each', async () => {
    const [a, b] = await twoProcesses({ concurrency: 8, rpm: 600 });
    const origin = performance.now();
    const starts: number[] = [];
    const note = () => starts.push(performance.now() - origin);
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).job(1, 0, note)));
    starts.sort((x, y) => x - y);
    // 10 starts at 100 ms spacing span 900 ms; unshared, each would do its 5 in 400 ms.
    expect(starts[9] - starts[0]).toBeGreaterThanOrEqual(800);
    expectNoErrors(a, b);
  });

  it('shares concurrency: 3 slots for both together', async () => {
    const [a, b] = await twoProcesses({ concurrency: 3 });
    let running = 0;
    let most = 0;
    const task = async () => {
      running += 1;
      most = Math.max(most, running);
      await sleep(60);
      running -= 1;
    };
    await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? a : b).scheduler.schedule(1, task)));
    expect(most).toBe(3);
    expectNoErrors(a, b);
  });

  it('shares the token bucket: one 10 s burst for both, then the refill rate', async () => {
    // 600,000 tpm = 10,000 tokens/s, a bucket of 100,000. Jobs of 2,000 tokens: 50 at once, then 5/s.
    const [a, b] = await twoProcesses({ concurrency: 64, tpm: 600_000 });
    const origin = performance.now();
    const starts: number[] = [];
    const note = () => starts.push(performance.now() - origin);
    const all = Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? a : b).job(2000, 0, note));
    await Promise.all(all);
    starts.sort((x, y) => x - y);
    // Unshared, each would have a bucket of its own and all 60 would start at once.
    expect(starts[59] - starts[0]).toBeGreaterThanOrEqual(1500);
    expect(starts[59] - starts[0]).toBeLessThan(4000);
    expectNoErrors(a, b);
  });

  it("shares a 429 pause: the other process waits too, and resumes when it ends", async () => {
    const [a, b] = await twoProcesses({ concurrency: 4, rpm: 6000 });
    await b.job(1);
    const pausedAt = performance.now();
    a.scheduler.reportRefused({ status: 429, retryAfterMs: 800, headers: { 'x-ratelimit-limit-requests': '6000', 'x-ratelimit-remaining-requests': '0' } });
    await sleep(50);
    const started = await b.job(1).then(() => performance.now() - pausedAt);
    expect(started).toBeGreaterThanOrEqual(650);
    expect(started).toBeLessThan(3000);
    expectNoErrors(a, b);
  });
});
