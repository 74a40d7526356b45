import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runCli } from '../helpers/cli.js';
import { anthropicEnv, openaiEnv, readResults, useMockServer, writeItems } from '../helpers/e2e.js';

const TEMPLATE = join(FIXTURES, 'describe.hbs');
/** Both providers priced like the mock e2e.server bills, so its bill is comparable with the budget. */
const PRICED = ['--price-input', '0.15', '--price-output', '0.6'];
/** Long descriptions make input dominate, like real classification jobs. */
const LONG = (i: number) => ` ${'lorem ipsum dolor sit amet '.repeat(20)}${i}`;

// Priced exactly like gpt-4o-mini, so the e2e.server's own bill is comparable with the budget.
const e2e = useMockServer({ priceInputPerMTok: 0.15, priceOutputPerMTok: 0.6 }, { latencyMs: 0, batchCompletionDelayMs: 0 });

function setUp(count: number): { input: string; out: string } {
  const input = join(e2e.dir(), 'items.jsonl');
  writeItems(input, count, LONG);
  return { input, out: join(e2e.dir(), 'out.jsonl') };
}

// No --max-tokens: every request reserves a 4,096-token answer ($0.0025 here), 50–100× what one costs.
describe('--budget is a hard bound and gets used (realtime)', () => {
  it('a run whose cost fits the budget completes, though 16 worst cases at once would not fit', async () => {
    const { input, out } = setUp(150);
    e2e.server.configure({ latencyMs: 20 });
    const budget = 0.02;
    const result = await runCli(['run', input, '-t', TEMPLATE, '-m', 'gpt-4o-mini', '-o', out, '-c', '16', '--no-cache', '--budget', String(budget)], {
      env: openaiEnv(e2e.server),
    });
    expect(result.code).toBe(0);
    expect(readResults(out)).toHaveLength(150);
    expect(e2e.server.stats().spendUsd).toBeLessThanOrEqual(budget);
    // The worst case dwarfs what answers cost: said once, with a --max-tokens from the answers seen.
    expect(result.stderr).toMatch(/--max-tokens \d+ \(twice the longest answer so far\)/);
  });

  it("a run that does not fit spends ≥ 90% of the budget (by the e2e.server's own bill) and never more, then exits 3", async () => {
    const { input, out } = setUp(300);
    e2e.server.configure({ latencyMs: 20 });
    const budget = 0.004;
    const result = await runCli(['run', input, '-t', TEMPLATE, '-m', 'gpt-4o-mini', '-o', out, '-c', '16', '--no-cache', '--quiet', '--budget', String(budget)], {
      env: openaiEnv(e2e.server),
    });
    expect(result.code).toBe(3);
    const spent = e2e.server.stats().spendUsd;
    expect(spent).toBeLessThanOrEqual(budget);
    expect(spent).toBeGreaterThanOrEqual(0.9 * budget);
    const recorded = readResults(out).reduce((sum, r) => sum + (r.cost_usd ?? 0), 0);
    expect(recorded).toBeCloseTo(spent, 6);

    // The budget's max_tokens is not part of the fingerprint: a resume without --budget is the same run.
    const rest = await runCli(['run', input, '-t', TEMPLATE, '-m', 'gpt-4o-mini', '-o', out, '--no-cache', '--quiet', '--resume'], { env: openaiEnv(e2e.server) });
    expect(rest.code).toBe(0);
    expect(new Set(readResults(out).map((r) => r.id)).size).toBe(300);
  });
});

// Batch mode: batches are billed at half price, and a reservation that does not fit submits what is
// gathered and collects the batches in flight (their real cost frees what they held) before trying again.
describe('--budget is a hard bound and gets used (batch mode)', () => {
  for (const provider of ['openai', 'anthropic'] as const) {
    const model = provider === 'openai' ? 'gpt-4o-mini' : 'claude-haiku-4-5';
    const env = () => (provider === 'openai' ? openaiEnv(e2e.server) : anthropicEnv(e2e.server));

    it(`${provider}: a run whose cost fits completes in several batches, though all worst cases at once would not fit`, async () => {
      const { input, out } = setUp(150);
      e2e.server.configure({ batchCompletionDelayMs: 0 });
      const budget = 0.01;
      const result = await runCli(['run', input, '-t', TEMPLATE, '-m', model, '-o', out, '--mode', 'batch', '--no-cache', '--budget', String(budget), ...PRICED], { env: env() });
      expect(result.code).toBe(0);
      expect(readResults(out)).toHaveLength(150);
      expect(e2e.server.stats().spendUsd).toBeLessThanOrEqual(budget);
      // More than one batch: the first did not hold every item's worst case.
      expect(e2e.server.stats().batchesCreated).toBeGreaterThan(1);
      // The worst case dwarfs what answers cost: said once, with a --max-tokens from the answers seen.
      expect(result.stderr).toMatch(/--max-tokens \d+ \(twice the longest answer so far\)/);
    });

    it(`${provider}: a run that does not fit spends ≥ 90% of the budget (by the e2e.server's own bill) and never more, then exits 3`, async () => {
      const { input, out } = setUp(300);
      e2e.server.configure({ batchCompletionDelayMs: 0 });
      const budget = 0.0015;
      const result = await runCli(['run', input, '-t', TEMPLATE, '-m', model, '-o', out, '--mode', 'batch', '--no-cache', '--quiet', '--budget', String(budget), ...PRICED], { env: env() });
      expect(result.code).toBe(3);
      const spent = e2e.server.stats().spendUsd;
      expect(spent).toBeLessThanOrEqual(budget);
      expect(spent).toBeGreaterThanOrEqual(0.9 * budget);
      const results = readResults(out);
      expect(results.length).toBeLessThan(300);
      expect(results.reduce((sum, r) => sum + (r.cost_usd ?? 0), 0)).toBeCloseTo(spent, 6);
    });
  }
});

describe('estimate', () => {
  it('works with no API key set (it sends nothing), while run still asks for one', async () => {
    const { input } = setUp(5);
    const result = await runCli(['estimate', input, '-t', TEMPLATE, '-m', 'gpt-4o'], { env: { OPENAI_API_KEY: '' } });
    expect(result.code).toBe(0);
    expect(result.stderr + result.stdout).toContain('worst case');
    const run = await runCli(['run', input, '-t', TEMPLATE, '-m', 'gpt-4o', '-o', join(e2e.dir(), 'o.jsonl')], { env: { OPENAI_API_KEY: '' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Missing API key for openai');
  });
});
