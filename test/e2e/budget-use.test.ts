import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../../src/mock/server.js';
import { FIXTURES, makeTempDir, runCli } from '../helpers/cli.js';
import { openaiEnv, readResults, startServer, writeItems } from '../helpers/e2e.js';

const TEMPLATE = join(FIXTURES, 'describe.hbs');
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
  server.configure({ latencyMs: 0 });
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
