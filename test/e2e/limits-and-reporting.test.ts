import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runCli } from '../helpers/cli.js';
import { openaiEnv, readResults, writeItems, useMockServer } from '../helpers/e2e.js';

const TEMPLATE = join(FIXTURES, 'describe.hbs');

const e2e = useMockServer({}, { latencyMs: 0, rpm: null, failRate: 0, faultMix: null, seed: null });

function inputOf(count: number): string {
  const input = join(e2e.dir(), 'items.jsonl');
  writeItems(input, count);
  return input;
}

describe('rate limits and concurrency', () => {
  it('learns an RPM bucket from the headers (no --rpm): spends what it holds, then its refill, with almost no 429s', async () => {
    // A 600 RPM bucket starting full (like OpenAI's): 600 requests fit at once, the other 60 need 6 s of refill.
    const rpm = 600;
    const items = 660;
    const input = inputOf(items);
    e2e.server.configure({ rpm });
    const result = await runCli(
      ['run', input, '-t', TEMPLATE, '-m', 'gpt-4o-mini', '-o', join(e2e.dir(), 'o.jsonl'), '-c', '64', '--no-cache', '--log-json'],
      { env: openaiEnv(e2e.server) },
    );
    expect(result.code).toBe(0);
    const stats = e2e.server.stats();
    expect(readResults(join(e2e.dir(), 'o.jsonl'))).toHaveLength(items);
    expect(stats.rateLimited).toBeLessThanOrEqual(stats.requests * 0.01);
    const learned = result.stderr.split('\n').filter((line) => line.includes('"rate-limits-learned"')).map((line) => JSON.parse(line) as { rpm?: number });
    expect(learned[0]?.rpm).toBe(rpm);
    // Never faster than the bucket allows: the 60 beyond its size wait for its refill (a lower bound, so a
    // slow machine cannot make it fail).
    const seconds = ((stats.lastRequestAt ?? 0) - (stats.firstRequestAt ?? 0)) / 1000;
    expect(seconds).toBeGreaterThanOrEqual(((items - rpm) / (rpm / 60)) * 0.9);
  });

  it('isolated 429s and 5xx delay only their own items: nobody is paused, the rate is not cut', async () => {
    // 5% of requests refused at random (429 with Retry-After, 500, 503), no limit in the headers.
    const input = inputOf(400);
    e2e.server.configure({ latencyMs: 5, failRate: 0.05, faultMix: { '429': 1, '500': 1, '503': 1 }, seed: 7 });
    const result = await runCli(
      ['run', input, '-t', TEMPLATE, '-m', 'gpt-4o-mini', '-o', join(e2e.dir(), 'o.jsonl'), '-c', '16', '--no-cache', '--log-json'],
      { env: openaiEnv(e2e.server) },
    );
    expect(result.code).toBe(0);
    expect(readResults(join(e2e.dir(), 'o.jsonl'))).toHaveLength(400);
    expect(e2e.server.stats().byStatus['429'] ?? 0).toBeGreaterThan(0);
    const events = result.stderr.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { type: string });
    expect(events.filter((event) => event.type === 'rate-limited')).toEqual([]);
    expect(events.some((event) => event.type === 'retry-scheduled')).toBe(true);
  });

  it('never has more requests in flight than --concurrency', async () => {
    const input = inputOf(300);
    e2e.server.configure({ latencyMs: { min: 5, max: 40 } });
    const result = await runCli(['run', input, '-t', TEMPLATE, '-m', 'gpt-4o-mini', '-o', join(e2e.dir(), 'o.jsonl'), '-c', '7', '--no-cache', '--quiet'], {
      env: openaiEnv(e2e.server),
    });
    expect(result.code).toBe(0);
    expect(e2e.server.stats().maxInFlight).toBeLessThanOrEqual(7);
    expect(e2e.server.stats().maxInFlight).toBeGreaterThanOrEqual(5);
  });
});

describe('reporting without a TTY', () => {
  it('prints plain progress lines (no ANSI, no carriage returns) and a summary; stdout stays empty', async () => {
    const input = inputOf(60);
    e2e.server.configure({ latencyMs: 50 });
    const result = await runCli(
      ['run', input, '-t', TEMPLATE, '-m', 'gpt-4o-mini', '-o', join(e2e.dir(), 'o.jsonl'), '-c', '4', '--progress-interval', '0.2', '--no-cache'],
      { env: { ...openaiEnv(e2e.server), NO_COLOR: undefined } },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).not.toMatch(/\x1b|\r/);
    expect(result.stderr.match(/\d+\/60 \(/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
    expect(result.stderr).toContain('60 ok');
  });

  it('--log-json writes one JSON event per line, ending with run-finished', async () => {
    const input = inputOf(20);
    const result = await runCli(['run', input, '-t', TEMPLATE, '-m', 'gpt-4o-mini', '-o', join(e2e.dir(), 'o.jsonl'), '--log-json', '--no-cache'], {
      env: openaiEnv(e2e.server),
    });
    expect(result.code).toBe(0);
    const events = result.stderr.trim().split('\n').map((line) => JSON.parse(line) as { type: string; ts: string });
    expect(events.every((event) => typeof event.type === 'string' && typeof event.ts === 'string')).toBe(true);
    expect(events.filter((event) => event.type === 'item-succeeded')).toHaveLength(20);
    expect(events.at(-1)?.type).toBe('run-finished');
  });

  it('-o - streams results to stdout and nothing else', async () => {
    const input = inputOf(15);
    const result = await runCli(['run', input, '-t', TEMPLATE, '-m', 'gpt-4o-mini', '-o', '-', '--no-cache'], { env: openaiEnv(e2e.server) });
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { id: string });
    expect(lines.map((line) => line.id).sort()).toHaveLength(15);
  });
});
