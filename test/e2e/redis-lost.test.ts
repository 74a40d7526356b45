import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURES, collect, runCli, spawnCli } from '../helpers/cli.js';
import { openaiEnv, useMockServer, writeItems } from '../helpers/e2e.js';
import { needsRedis, redisServer, startRedis, type TestRedis } from '../helpers/redis-server.js';
import type { RunState } from '../../src/journal/state-file.js';

const TEMPLATE = join(FIXTURES, 'describe.hbs');
const ITEMS = 400;
// Slow answers: the run is still sending when Redis goes away.
const e2e = useMockServer({ latencyMs: 150 });

let redis: TestRedis | undefined;
afterEach(async () => {
  await redis?.stop();
  redis = undefined;
});

function resultIds(out: string): string[] {
  if (!existsSync(out)) return [];
  return readFileSync(out, 'utf8').split('\n').filter((line) => line.endsWith('}')).map((line) => (JSON.parse(line) as { id: string }).id);
}

describe.skipIf(redisServer.skip)(needsRedis('--redis: a Redis server that disappears mid-run'), () => {
  it('stops after the grace period with exit 69 and one paragraph, keeps what was answered, and resumes once it is back', async () => {
    redis = await startRedis();
    const { port, url } = redis;
    const dir = e2e.dir();
    const input = join(dir, 'items.jsonl');
    writeItems(input, ITEMS);
    const out = join(dir, 'out.jsonl');
    const args = ['run', input, '-t', TEMPLATE, '-m', 'gpt-4o-mini', '--no-cache', '-o', out, '-c', '4', '--redis', url];
    const env = openaiEnv(e2e.server);

    const child = spawnCli(args, { env });
    const running = collect(child);
    while (resultIds(out).length < 10) await sleep(50);
    await redis.kill();
    const run = await running;

    expect(run.code, run.stderr).toBe(69);
    expect(run.stderr).toContain(`Redis at ${url} went away mid-run and did not come back within`);
    expect(run.stderr).toContain('to resume:');
    expect(run.stderr).toContain('--resume');
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const ids = resultIds(out);
    expect(ids.length).toBeLessThan(ITEMS);
    expect(new Set(ids).size).toBe(ids.length);
    // The state was written, with what was answered.
    const state = JSON.parse(readFileSync(join(dir, 'out.state.json'), 'utf8')) as RunState;
    expect(state.totals.succeeded).toBe(ids.length);

    // Redis is back (same port, no data): the resume does the rest, each item exactly once.
    redis = await startRedis({ port });
    const resumed = await runCli([...args, '--resume', '--quiet'], { env });
    expect(resumed.code, resumed.stderr).toBe(0);
    const all = resultIds(out);
    expect(all).toHaveLength(ITEMS);
    expect(new Set(all).size).toBe(ITEMS);
  }, 120_000);

  it('rides out a restart shorter than the grace period: the run completes, each item once', async () => {
    redis = await startRedis();
    const { port, url } = redis;
    const dir = e2e.dir();
    const input = join(dir, 'items.jsonl');
    writeItems(input, 200);
    const out = join(dir, 'out.jsonl');
    const child = spawnCli(['run', input, '-t', TEMPLATE, '-m', 'gpt-4o-mini', '--no-cache', '-o', out, '-c', '4', '--redis', url], { env: openaiEnv(e2e.server) });
    const running = collect(child);
    while (resultIds(out).length < 10) await sleep(50);
    await redis.kill();
    await sleep(1_000);
    redis = await startRedis({ port });
    const run = await running;
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`Redis at ${url} went away: waiting up to 10 s for it to come back`);
    expect(run.stderr).toMatch(/Redis at .* is back after \d+ s/);
    const ids = resultIds(out);
    expect(ids).toHaveLength(200);
    expect(new Set(ids).size).toBe(200);
  }, 120_000);

  it('with a shared budget (--budget-key) too: exit 69, one warning, not one per failed command', async () => {
    redis = await startRedis();
    const { url } = redis;
    const dir = e2e.dir();
    const input = join(dir, 'items.jsonl');
    writeItems(input, ITEMS);
    const out = join(dir, 'out.jsonl');
    const child = spawnCli(['run', input, '-t', TEMPLATE, '-m', 'gpt-4o-mini', '--no-cache', '-o', out, '-c', '4', '--redis', url, '--budget', '5', '--budget-key', 'lost'], { env: openaiEnv(e2e.server) });
    const running = collect(child);
    while (resultIds(out).length < 10) await sleep(50);
    await redis.kill();
    const run = await running;
    expect(run.code, run.stderr).toBe(69);
    expect(run.stderr).toContain(`Redis at ${url} went away mid-run`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stderr.match(/warning/g)?.length ?? 0).toBeLessThan(10);
    const ids = resultIds(out);
    expect(new Set(ids).size).toBe(ids.length);
  }, 120_000);
});
