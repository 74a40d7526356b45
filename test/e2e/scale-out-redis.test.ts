import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../../src/mock/server.js';
import { FIXTURES, makeTempDir, runCli, spawnCli, collect } from '../helpers/cli.js';
import { openaiEnv, readResults, startServer, TEST_KEY, writeItems } from '../helpers/e2e.js';
import { freePort, needsRedis, redisServer, startRedis, type TestRedis } from '../helpers/redis-server.js';

const TEMPLATE = join(FIXTURES, 'describe.hbs');
const common = ['-t', TEMPLATE, '-m', 'gpt-4o-mini', '--no-cache', '--quiet'];

let redis: TestRedis;
let client: Redis;
let temp: ReturnType<typeof makeTempDir>;
const servers: MockServer[] = [];

beforeAll(async () => {
  if (redisServer.skip) return;
  redis = await startRedis();
  client = new Redis(redis.url);
});
afterAll(async () => {
  client?.disconnect();
  await redis?.stop();
});
afterEach(async () => {
  temp?.cleanup();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function server(options: Parameters<typeof startServer>[0] = {}): Promise<MockServer> {
  const started = await startServer(options);
  servers.push(started);
  return started;
}

/** Two shard processes of one input, run at once; returns their results. */
async function runShards(target: MockServer, itemCount: number, extra: string[]) {
  temp = makeTempDir();
  const input = join(temp.dir, 'items.jsonl');
  const items = writeItems(input, itemCount);
  const outputOf = (k: number) => join(temp.dir, `out-${k}.jsonl`);
  const runs = await Promise.all(
    [1, 2].map((k) => runCli(['run', input, ...common, '--shard', `${k}/2`, '-o', outputOf(k), ...extra], { env: openaiEnv(target) })),
  );
  const results = [1, 2].flatMap((k) => readResults(outputOf(k)));
  return { items, runs, results };
}

describe.skipIf(redisServer.skip)(needsRedis('--redis: limits shared by processes'), () => {
  it('two shard processes together keep to one RPM bucket with almost no 429s, and do every item once', async () => {
    // A 600 RPM bucket starting full: 600 of the 720 items fit at once, the rest wait for its refill. That
    // the two processes draw on one shared bucket is shown exactly in test/scheduler/redis-scheduler.test.ts;
    // here, end to end, the provider's own bucket must not answer their pace with 429s.
    const rpm = 600;
    const target = await server({ rpm });
    const { items, runs, results } = await runShards(target, 720, ['-c', '8', '--redis', redis.url]);
    for (const run of runs) expect(run.code, run.stderr).toBe(0);

    const { requests: sent, rateLimited: limited, firstRequestAt, lastRequestAt } = target.stats();
    console.info(`two processes, one ${rpm} rpm bucket: ${sent} requests, ${limited} 429s in ${((lastRequestAt ?? 0) - (firstRequestAt ?? 0)) / 1000} s`);
    expect(limited).toBeLessThanOrEqual(sent * 0.01);
    // Never faster than the bucket: the 120 beyond its size needed 12 s of refill (a lower bound only).
    expect((lastRequestAt ?? 0) - (firstRequestAt ?? 0)).toBeGreaterThanOrEqual(((720 - rpm) / (rpm / 60)) * 1000 * 0.9);

    const ids = results.map((record) => record.id);
    expect(ids).toHaveLength(items.length);
    expect(new Set(ids)).toEqual(new Set(items.map((item) => item.id)));
    expect(sent - limited).toBe(items.length);

    // One limiter per account, named by a hash of the key, never the key itself.
    const keys = await client.keys('b_llm-batch:*');
    expect(keys.some((key) => key.endsWith(':requests_settings'))).toBe(true);
    expect(keys.join('\n')).not.toContain(TEST_KEY);
  });

  it('shares one --budget between processes with the same --budget-key: together they never pass it', async () => {
    const target = await server();
    // Every admitted item holds a worst-case reservation (~$0.00001 at --max-tokens 5) while it waits, about
    // 70 per process: the budget must be well above that, and each shard alone must cost more than it.
    const budget = 0.003;
    const itemCount = 1400;
    const { runs, results } = await runShards(target, itemCount, [
      '-c', '4', '--max-tokens', '5', '--budget', String(budget), '--budget-key', 'shared-e2e', '--redis', redis.url,
    ]);
    const spend = target.stats().spendUsd;
    const shardAlone = (results.reduce((sum, record) => sum + (record.cost_usd ?? 0), 0) / results.length) * (itemCount / 2);
    console.info(`shared budget $${budget}: spent $${spend.toFixed(6)} by ${results.length} requests; one shard alone: ~$${shardAlone.toFixed(6)}`);
    expect(shardAlone).toBeGreaterThan(budget);
    expect(spend).toBeLessThanOrEqual(budget);
    expect(spend).toBeGreaterThan(budget * 0.3);
    expect(runs.map((run) => run.code).sort()).toEqual([3, 3]);
  });

  it("finishes a run whose limiter settings vanish from Redis mid-run (bottleneck's SETTINGS_KEY_NOT_FOUND)", async () => {
    const target = await server();
    temp = makeTempDir();
    const input = join(temp.dir, 'items.jsonl');
    writeItems(input, 40);
    const out = join(temp.dir, 'out.jsonl');
    const child = spawnCli(['run', input, ...common, '-o', out, '--rpm', '600', '--tpm', '1000000', '--redis', redis.url, '--log-json'], {
      env: openaiEnv(target),
    });
    const finished = collect(child);
    while (readResults(out).length < 5) await new Promise((resolve) => setTimeout(resolve, 50));
    const settings = (await client.keys('b_llm-batch:*_settings')).filter((key) => key.includes(target.url));
    expect(settings).toHaveLength(2);
    expect(await client.del(...settings)).toBe(2);

    const run = await finished;
    expect(run.code, run.stderr).toBe(0);
    expect(new Set(readResults(out).map((record) => record.id)).size).toBe(40);
    expect(run.stderr).not.toContain('SETTINGS_KEY_NOT_FOUND');
    for (const key of settings) expect(await client.exists(key)).toBe(1);
  });
});

// Needs no Redis server: it proves what happens when none answers.
describe('--redis without a server', () => {
  it('stops with exit 2 before any request when Redis is unreachable', async () => {
    const target = await server();
    temp = makeTempDir();
    const input = join(temp.dir, 'items.jsonl');
    writeItems(input, 5);
    const out = join(temp.dir, 'out.jsonl');
    const port = await freePort();
    const run = await runCli(['run', input, ...common, '-o', out], {
      env: openaiEnv(target, { LLM_BATCH_REDIS_URL: `redis://user:hunter2@127.0.0.1:${port}` }),
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`cannot reach Redis at redis://127.0.0.1:${port}`);
    expect(run.stderr).not.toContain('hunter2');
    expect(target.stats().requests).toBe(0);
    expect(existsSync(out)).toBe(false);
  });
});
