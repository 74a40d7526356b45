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

/** Requests per minute over the middle 80% of completions: the steady pace, without start-up and tail. */
function steadyPerMinute(timestamps: number[]): number {
  const sorted = [...timestamps].sort((a, b) => a - b);
  const low = Math.floor(sorted.length * 0.1);
  const high = Math.floor(sorted.length * 0.9);
  return ((high - low) / (sorted[high] - sorted[low])) * 60_000;
}

describe.skipIf(redisServer.skip)(needsRedis('--redis: limits shared by processes'), () => {
  it('two shard processes together keep to one RPM limit, use at least 90% of it, and do every item once', async () => {
    const rpm = 1200;
    const target = await server({ rpm });
    const { items, runs, results } = await runShards(target, 240, ['-c', '8', '--redis', redis.url]);
    for (const run of runs) expect(run.code, run.stderr).toBe(0);

    const { requests: sent, rateLimited: limited } = target.stats();
    const pace = steadyPerMinute(results.map((record) => Date.parse(record.ts)));
    console.info(`two processes, one ${rpm} rpm limit: ${Math.round(pace)} rpm steady (${((pace / rpm) * 100).toFixed(1)}%), ${sent} requests, ${limited} 429s`);
    // Unshared, each paces itself at 97% of the limit (LEARNED_LIMIT_SHARE): about 190% together (measured at 95%). The mock's bucket starts
    // full (a minute's worth, like OpenAI's), so on a run this short the pace, not the 429s, tells.
    expect(limited).toBeLessThanOrEqual(3);
    expect(pace).toBeGreaterThanOrEqual(0.9 * rpm);
    expect(pace).toBeLessThanOrEqual(rpm);

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
