import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collect, FIXTURES, runCli, spawnCli } from '../helpers/cli.js';
import { openaiEnv, readResults, TEST_KEY, writeItems, useMockServer } from '../helpers/e2e.js';

const TEMPLATE = join(FIXTURES, 'describe.hbs');

// Priced exactly like gpt-4o-mini, so the server's own bill is comparable with the budget.
const e2e = useMockServer({ priceInputPerMTok: 0.15, priceOutputPerMTok: 0.6 }, { latencyMs: 0 });

describe('--budget', () => {
  it('stops at the budget at concurrency 64: the server-side bill stays within it (and uses ≥ 80%), exit 3, then resumes with more', async () => {
    const input = join(e2e.dir(), 'items.jsonl');
    // Long descriptions make input dominate, like real classification jobs.
    writeItems(input, 3000, (i) => ` ${'lorem ipsum dolor sit amet '.repeat(20)}${i}`);
    const out = join(e2e.dir(), 'out.jsonl');
    const env = openaiEnv(e2e.server);
    e2e.server.configure({ latencyMs: 20 });
    const budget = 0.02;
    const args = ['run', input, '-t', TEMPLATE, '-m', 'gpt-4o-mini', '-o', out, '-c', '64', '--max-tokens', '20', '--no-cache', '--quiet'];
    const first = await runCli([...args, '--budget', String(budget)], { env });
    expect(first.code).toBe(3);
    expect(first.stderr).toMatch(/budget/i);
    expect(first.stderr).toContain('--resume');
    const spent = e2e.server.stats().spendUsd;
    expect(spent).toBeLessThanOrEqual(budget);
    expect(spent).toBeGreaterThanOrEqual(0.8 * budget);
    const partial = readResults(out);
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(3000);
    const recorded = partial.reduce((sum, r) => sum + (r.cost_usd ?? 0), 0);
    expect(recorded).toBeCloseTo(spent, 6);

    const second = await runCli([...args, '--resume', '--budget', '1'], { env });
    expect(second.code).toBe(0);
    expect(readResults(out)).toHaveLength(3000);
    // 3,000 items at -c 64 through a budget stop and a resume: about 9 s on a quiet 2-core machine, several
    // times that when the machine is loaded. The test asserts bills and counts, never speed.
  }, 180_000);

  it('refuses --budget for a model without a price, naming the flags that fix it', async () => {
    const input = join(e2e.dir(), 'items.jsonl');
    writeItems(input, 3);
    const result = await runCli(
      ['run', input, '-t', TEMPLATE, '-m', 'my-local-model', '--provider', 'openai', '-o', join(e2e.dir(), 'o.jsonl'), '--budget', '1', '--no-cache'],
      { env: openaiEnv(e2e.server) },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--price-input');
    expect(e2e.server.stats().requests).toBe(0);
  });
});

describe('estimate', () => {
  it('prints tokens and realtime/batch/cache costs and sends nothing', async () => {
    const input = join(e2e.dir(), 'items.jsonl');
    writeItems(input, 40);
    const result = await runCli(['estimate', input, '-t', TEMPLATE, '-m', 'gpt-4o-mini', '--cache-dir', join(e2e.dir(), 'cache')], { env: openaiEnv(e2e.server) });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/items\s+40/);
    expect(result.stdout).toMatch(/cost, realtime\s+\$/);
    expect(result.stdout).toMatch(/cost, batch mode\s+\$/);
    expect(result.stdout).toMatch(/cost with cache/);
    expect(e2e.server.stats().requests).toBe(0);
  });
});

describe('response cache', () => {
  it('sends each distinct prompt once (in-run dedup), a re-run sends nothing with identical results, and the key is in no cache file', async () => {
    const input = join(e2e.dir(), 'items.jsonl');
    // 100 items, 50 distinct prompts: each text appears twice under different ids.
    const rows = Array.from({ length: 100 }, (_, i) => ({ id: `r${i}`, name: `Same ${i % 50}`, description: `text ${i % 50}` }));
    writeFileSync(input, rows.map((row) => JSON.stringify(row)).join('\n') + '\n');
    const cacheDir = join(e2e.dir(), 'cache');
    const template = join(e2e.dir(), 'no-id.hbs');
    writeFileSync(template, 'Classify into one of: A, B, C.\n{{name}}: {{description}}\n');
    const env = openaiEnv(e2e.server);
    e2e.server.configure({ latencyMs: 50 });
    const args = (out: string) => ['run', input, '-t', template, '-m', 'gpt-4o-mini', '-o', out, '--cache-dir', cacheDir, '--quiet'];

    const first = await runCli(args(join(e2e.dir(), 'a.jsonl')), { env });
    expect(first.code).toBe(0);
    expect(e2e.server.stats().requests).toBe(50);
    const a = readResults(join(e2e.dir(), 'a.jsonl'));
    expect(a).toHaveLength(100);

    e2e.server.resetStats();
    const second = await runCli(args(join(e2e.dir(), 'b.jsonl')), { env });
    expect(second.code).toBe(0);
    expect(e2e.server.stats().requests).toBe(0);
    const b = readResults(join(e2e.dir(), 'b.jsonl'));
    expect(b.every((r) => r.cached && r.cost_usd === 0)).toBe(true);
    const outputs = (records: typeof a) => Object.fromEntries(records.map((r) => [r.id, r.output]));
    expect(outputs(b)).toEqual(outputs(a));

    for (const file of readdirSync(cacheDir)) {
      expect(readFileSync(join(cacheDir, file)).includes(Buffer.from(TEST_KEY))).toBe(false);
    }
  });

  it('two processes can use one cache directory at once', async () => {
    const cacheDir = join(e2e.dir(), 'cache');
    const env = openaiEnv(e2e.server);
    e2e.server.configure({ latencyMs: 5 });
    const runs = [0, 1].map((n) => {
      const input = join(e2e.dir(), `in${n}.jsonl`);
      writeItems(input, 200, (i) => ` ${i % 2 === n ? 'shared' : `own-${n}`}`);
      return collect(spawnCli(['run', input, '-t', TEMPLATE, '-m', 'gpt-4o-mini', '-o', join(e2e.dir(), `out${n}.jsonl`), '--cache-dir', cacheDir, '--quiet'], { env }));
    });
    const results = await Promise.all(runs);
    for (const result of results) expect(result.code).toBe(0);
    for (const n of [0, 1]) expect(readResults(join(e2e.dir(), `out${n}.jsonl`))).toHaveLength(200);
  });
});
