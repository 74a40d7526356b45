import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runCli } from '../helpers/cli.js';
import { openaiEnv, readResults, writeItems, useMockServer } from '../helpers/e2e.js';

const TEMPLATE = join(FIXTURES, 'describe.hbs');

const e2e = useMockServer({}, { latencyMs: 0, rpm: null });

function inputOf(count: number): string {
  const input = join(e2e.dir(), 'items.jsonl');
  writeItems(input, count);
  return input;
}

describe('rate limits and concurrency', () => {
  it('learns an RPM limit from the headers (no --rpm) and settles just under it with almost no 429s', async () => {
    const input = inputOf(240);
    e2e.server.configure({ rpm: 1200 });
    const concurrency = 64;
    const result = await runCli(
      ['run', input, '-t', TEMPLATE, '-m', 'gpt-4o-mini', '-o', join(e2e.dir(), 'o.jsonl'), '-c', String(concurrency), '--no-cache', '--log-json'],
      { env: openaiEnv(e2e.server) },
    );
    expect(result.code).toBe(0);
    const stats = e2e.server.stats();
    expect(readResults(join(e2e.dir(), 'o.jsonl'))).toHaveLength(240);
    expect(stats.rateLimited).toBeLessThanOrEqual(2);
    const learned = result.stderr.split('\n').filter((line) => line.includes('"rate-limits-learned"')).map((line) => JSON.parse(line) as { rpm?: number });
    expect(learned[0]?.rpm).toBeGreaterThan(1000);
    expect(learned[0]?.rpm).toBeLessThanOrEqual(1200);
    // The first wave (one request per slot) leaves before any response, hence before any header: pacing
    // can only apply after it.
    const minutes = ((stats.lastRequestAt ?? 0) - (stats.firstRequestAt ?? 0)) / 60_000;
    const rpm = (stats.requests - concurrency) / minutes;
    expect(rpm).toBeLessThanOrEqual(1200 * 1.05);
    expect(rpm).toBeGreaterThanOrEqual(1200 * 0.8);
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
