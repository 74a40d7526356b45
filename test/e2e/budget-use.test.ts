import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../../src/mock/server.js';
import { FIXTURES, makeTempDir, runCli } from '../helpers/cli.js';
import { anthropicEnv, openaiEnv, readResults, startServer, writeItems } from '../helpers/e2e.js';

const TEMPLATE = join(FIXTURES, 'describe.hbs');
/** Both providers priced like the mock server bills, so its bill is comparable with the budget. */
const PRICED = ['--price-input', '0.15', '--price-output', '0.6'];
/** Long descriptions make input dominate, like real classification jobs. */
const LONG = (i: number) => ` ${'lorem ipsum dolor sit amet '.repeat(20)}${i}`;

let server: MockServer;
let temp: ReturnType<typeof makeTempDir>;

beforeAll(async () => {
  // Priced exactly like gpt-4o-mini, so the server's own bill is comparable with the budget.
  server = await startServer({ priceInputPerMTok: 0.15, priceOutputPerMTok: 0.6 });
});
afterAll(async () => {
  await server.close();
});
afterEach(() => {
  temp?.cleanup();
  server.configure({ latencyMs: 0, batchCompletionDelayMs: 0 });
  server.resetStats();
});

function setUp(count: number): { input: string; out: string } {
  temp = makeTempDir();
  const input = join(temp.dir, 'items.jsonl');
  writeItems(input, count, LONG);
  return { input, out: join(temp.dir, 'out.jsonl') };
}

// No --max-tokens: every request reserves a 4,096-token answer ($0.0025 here), 50–100× what one costs.
describe('--budget is a hard bound and gets used (realtime)', () => {
  it('a run whose cost fits the budget completes, though 16 worst cases at once would not fit', async () => {
    const { input, out } = setUp(150);
    server.configure({ latencyMs: 20 });
    const budget = 0.02;
    const result = await runCli(['run', input, '-t', TEMPLATE, '-m', 'gpt-4o-mini', '-o', out, '-c', '16', '--no-cache', '--budget', String(budget)], {
      env: openaiEnv(server),
    });
    expect(result.code).toBe(0);
    expect(readResults(out)).toHaveLength(150);
    expect(server.stats().spendUsd).toBeLessThanOrEqual(budget);
    // The worst case dwarfs what answers cost: said once, with a --max-tokens from the answers seen.
    expect(result.stderr).toMatch(/--max-tokens \d+ \(twice the longest answer so far\)/);
  });

  it("a run that does not fit spends ≥ 90% of the budget (by the server's own bill) and never more, then exits 3", async () => {
    const { input, out } = setUp(300);
    server.configure({ latencyMs: 20 });
    const budget = 0.004;
    const result = await runCli(['run', input, '-t', TEMPLATE, '-m', 'gpt-4o-mini', '-o', out, '-c', '16', '--no-cache', '--quiet', '--budget', String(budget)], {
      env: openaiEnv(server),
    });
    expect(result.code).toBe(3);
    const spent = server.stats().spendUsd;
    expect(spent).toBeLessThanOrEqual(budget);
    expect(spent).toBeGreaterThanOrEqual(0.9 * budget);
    const recorded = readResults(out).reduce((sum, r) => sum + (r.cost_usd ?? 0), 0);
    expect(recorded).toBeCloseTo(spent, 6);

    // The budget's max_tokens is not part of the fingerprint: a resume without --budget is the same run.
    const rest = await runCli(['run', input, '-t', TEMPLATE, '-m', 'gpt-4o-mini', '-o', out, '--no-cache', '--quiet', '--resume'], { env: openaiEnv(server) });
    expect(rest.code).toBe(0);
    expect(new Set(readResults(out).map((r) => r.id)).size).toBe(300);
  });
});

// Batch mode: batches are billed at half price, and a reservation that does not fit submits what is
// gathered and collects the batches in flight (their real cost frees what they held) before trying again.
describe('--budget is a hard bound and gets used (batch mode)', () => {
  for (const provider of ['openai', 'anthropic'] as const) {
    const model = provider === 'openai' ? 'gpt-4o-mini' : 'claude-haiku-4-5';
    const env = () => (provider === 'openai' ? openaiEnv(server) : anthropicEnv(server));

    it(`${provider}: a run whose cost fits completes in several batches, though all worst cases at once would not fit`, async () => {
      const { input, out } = setUp(150);
      server.configure({ batchCompletionDelayMs: 0 });
      const budget = 0.01;
      const result = await runCli(['run', input, '-t', TEMPLATE, '-m', model, '-o', out, '--mode', 'batch', '--no-cache', '--budget', String(budget), ...PRICED], { env: env() });
      expect(result.code).toBe(0);
      expect(readResults(out)).toHaveLength(150);
      expect(server.stats().spendUsd).toBeLessThanOrEqual(budget);
      // More than one batch: the first did not hold every item's worst case.
      expect(server.stats().batchesCreated).toBeGreaterThan(1);
      // The worst case dwarfs what answers cost: said once, with a --max-tokens from the answers seen.
      expect(result.stderr).toMatch(/--max-tokens \d+ \(twice the longest answer so far\)/);
    });

    it(`${provider}: a run that does not fit spends ≥ 90% of the budget (by the server's own bill) and never more, then exits 3`, async () => {
      const { input, out } = setUp(300);
      server.configure({ batchCompletionDelayMs: 0 });
      const budget = 0.0015;
      const result = await runCli(['run', input, '-t', TEMPLATE, '-m', model, '-o', out, '--mode', 'batch', '--no-cache', '--quiet', '--budget', String(budget), ...PRICED], { env: env() });
      expect(result.code).toBe(3);
      const spent = server.stats().spendUsd;
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
    const run = await runCli(['run', input, '-t', TEMPLATE, '-m', 'gpt-4o', '-o', join(temp.dir, 'o.jsonl')], { env: { OPENAI_API_KEY: '' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Missing API key for openai');
  });
});
