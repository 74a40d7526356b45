import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runCli } from '../helpers/cli.js';
import { openaiEnv, readFailures, readResults, useMockServer, writeItems } from '../helpers/e2e.js';

const TEMPLATE = join(FIXTURES, 'describe.hbs');
const common = ['-t', TEMPLATE, '-m', 'gpt-5-mini', '--no-cache'];

const e2e = useMockServer();

const events = (stderr: string) =>
  stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { type: string; errorClass?: string });

describe('--service-tier flex, end to end through the CLI', () => {
  it('costs half of the default tier; "resource unavailable" 429s are retried without pausing or cutting the rate', async () => {
    const input = join(e2e.dir(), 'items.jsonl');
    writeItems(input, 8, (i) => (i <= 3 ? ' [[flex-unavailable:2]]' : ''));
    const standardOut = join(e2e.dir(), 'standard.jsonl');
    expect((await runCli(['run', input, ...common, '--quiet', '-o', standardOut], { env: openaiEnv(e2e.server) })).code).toBe(0);
    e2e.server.resetStats();

    const flexOut = join(e2e.dir(), 'flex.jsonl');
    const flex = await runCli(['run', input, ...common, '--service-tier', 'flex', '--log-json', '-o', flexOut], { env: openaiEnv(e2e.server) });
    expect(flex.code).toBe(0);
    expect(e2e.server.requests().every((request) => (request.body as { service_tier?: string }).service_tier === 'flex')).toBe(true);
    // 3 items × 2 unavailable answers, then every item answered.
    expect(e2e.server.stats().requests).toBe(8 + 6);
    const log = events(flex.stderr);
    expect(log.filter((event) => event.type === 'retry-scheduled')).toHaveLength(6);
    expect(log.some((event) => event.type === 'rate-limited')).toBe(false);

    const standardCost = new Map(readResults(standardOut).map((record) => [record.id, record.cost_usd ?? Number.NaN]));
    const results = readResults(flexOut);
    expect(results).toHaveLength(8);
    for (const record of results) {
      expect(record.cost_usd).toBeCloseTo((standardCost.get(record.id) ?? Number.NaN) / 2, 12);
      expect(record.attempts).toBe(record.id <= 'item-3' ? 3 : 1);
    }
  });

  it('--flex-fallback 2 sends an item on the default tier after two unavailable answers, billed at the standard price', async () => {
    const input = join(e2e.dir(), 'items.jsonl');
    writeItems(input, 2, (i) => (i === 1 ? ' [[flex-unavailable:99]]' : ''));
    const out = join(e2e.dir(), 'out.jsonl');
    const result = await runCli(['run', input, ...common, '--service-tier', 'flex', '--flex-fallback', '2', '--quiet', '-o', out], { env: openaiEnv(e2e.server) });
    expect(result.code).toBe(0);
    expect(readFailures(join(e2e.dir(), 'out.failed.jsonl'))).toHaveLength(0);
    const tiers = e2e.server.requests().map((request) => (request.body as { service_tier?: string }).service_tier);
    expect(tiers.filter((tier) => tier === 'default')).toHaveLength(1);
    const [fallen, flexed] = ['item-1', 'item-2'].map((id) => readResults(out).find((record) => record.id === id));
    expect(fallen?.attempts).toBe(3);
    // Same prompt length, so the item on the default tier costs about twice the flex one.
    expect((fallen?.cost_usd ?? 0) / (flexed?.cost_usd ?? 1)).toBeGreaterThan(1.5);
  });

  it('without a fallback, an item that never finds capacity is a rate_limit dead letter after --max-retries', async () => {
    const input = join(e2e.dir(), 'items.jsonl');
    writeItems(input, 1, () => ' [[flex-unavailable:99]]');
    const out = join(e2e.dir(), 'out.jsonl');
    const result = await runCli(['run', input, ...common, '--service-tier', 'flex', '--max-retries', '1', '--quiet', '-o', out], { env: openaiEnv(e2e.server) });
    expect(result.code).toBe(1);
    expect(readFailures(join(e2e.dir(), 'out.failed.jsonl'))[0]?.error).toMatchObject({ class: 'rate_limit', status: 429, code: 'resource_unavailable' });
  });

  it('estimate shows realtime, flex and batch side by side', async () => {
    const input = join(e2e.dir(), 'items.jsonl');
    writeItems(input, 5);
    const result = await runCli(['estimate', input, ...common], { env: openaiEnv(e2e.server) });
    expect(result.code).toBe(0);
    const cost = (label: string) => Number(new RegExp(`${label}\\s+\\$([0-9.]+)`).exec(result.stdout + result.stderr)?.[1]);
    expect(cost('cost, realtime on the flex tier')).toBeCloseTo(cost('cost, batch mode'), 6);
    expect(cost('cost, realtime ')).toBeGreaterThan(cost('cost, realtime on the flex tier'));
    expect(e2e.server.stats().requests).toBe(0);
  });
});
