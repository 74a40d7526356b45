import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collect, FIXTURES, runCli, spawnCli } from '../helpers/cli.js';
import { expectedAnswers, openaiEnv, anthropicEnv, promptsOf, readFailures, readResults, writeItems, useMockServer } from '../helpers/e2e.js';

const TEMPLATE = join(FIXTURES, 'describe.hbs');
const common = ['-t', TEMPLATE, '--no-cache', '--quiet'];

const e2e = useMockServer({}, { failRate: 0, latencyMs: 0, quotaExhausted: false });

/** Complete lines so far; safe while the writer is mid-line. */
function countLines(path: string): number {
  try {
    return readFileSync(path, 'utf8').split('\n').length - 1;
  } catch {
    return 0;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('transient faults', () => {
  it('finishes 2,000 items through a 20% mix of 429/5xx/529/resets/garbage/truncated/hangs, each exactly once and correct', async () => {
    const dir = e2e.dir();
    const input = join(dir, 'items.jsonl');
    const items = writeItems(input, 2000);
    const out = join(dir, 'out.jsonl');
    e2e.server.configure({
      failRate: 0.2,
      seed: 7,
      // Every 429/529 pauses the whole run for its retry-after (1 s): as on real APIs they are rarer than
      // the rest, or this test would measure pauses (a pause per ~1.3 s at equal weights).
      faultMix: { '429': 0.6, '500': 3, '502': 3, '503': 3, '529': 0.25, reset: 3, garbage: 3, truncated: 3, hang: 1 },
    });
    const result = await runCli(['run', input, '-m', 'gpt-4o-mini', '-o', out, '-c', '64', '--timeout', '2', ...common], {
      env: openaiEnv(e2e.server),
      timeoutMs: 240_000,
    });
    expect(result.stderr).toContain('2,000 ok');
    expect(result.code).toBe(0);
    const results = readResults(out);
    expect(results).toHaveLength(2000);
    expect(new Set(results.map((r) => r.id)).size).toBe(2000);
    const expected = await expectedAnswers(TEMPLATE, items);
    for (const record of results) expect(record.output).toBe(expected.get(record.id)?.text);
    const stats = e2e.server.stats();
    expect(stats.requests).toBeGreaterThan(2000);
    expect(results.some((r) => r.attempts > 1)).toBe(true);
    for (const status of ['429', '500', '502', '503', '529']) expect(stats.byStatus[status] ?? 0).toBeGreaterThan(0);
    for (const fault of ['reset', 'hang']) expect(stats.byStatus[fault] ?? 0).toBeGreaterThan(0);
    expect(readFailures(join(dir, 'out.failed.jsonl'))).toHaveLength(0);
  }, 300_000);

  it('turns 400s into dead letters after exactly one request each, and exits 1', async () => {
    const dir = e2e.dir();
    const input = join(dir, 'items.jsonl');
    const items = writeItems(input, 60, (i) => (i % 3 === 0 ? ' [[fault:400]]' : ''));
    const out = join(dir, 'out.jsonl');
    const result = await runCli(['run', input, '-m', 'gpt-4o-mini', '-o', out, ...common], { env: openaiEnv(e2e.server) });
    expect(result.code).toBe(1);
    const failures = readFailures(join(dir, 'out.failed.jsonl'));
    expect(failures).toHaveLength(20);
    for (const failure of failures) expect(failure).toMatchObject({ attempts: 1, error: { class: 'bad_request', status: 400 } });
    expect(readResults(out)).toHaveLength(40);
    const counts = e2e.server.stats().requestCountsByPrompt;
    for (const prompt of await promptsOf(TEMPLATE, items)) expect(counts[prompt]).toBe(1);
  });
});

describe('fatal conditions stop the run (exit 4)', () => {
  it('a wrong key stops after at most concurrency+1 requests, never echoes the key, and says how to resume', async () => {
    const dir = e2e.dir();
    const input = join(dir, 'items.jsonl');
    writeItems(input, 300);
    const out = join(dir, 'out.jsonl');
    const wrongKey = 'sk-wrong-key-do-not-print-me-123456';
    const result = await runCli(['run', input, '-m', 'gpt-4o-mini', '-o', out, '-c', '8', ...common], {
      env: { ...openaiEnv(e2e.server), OPENAI_API_KEY: wrongKey },
    });
    expect(result.code).toBe(4);
    expect(e2e.server.stats().requests).toBeLessThanOrEqual(9);
    expect(result.stderr).toMatch(/auth|401|key/i);
    expect(result.stderr).toContain('--resume');
    expect(result.stderr + result.stdout).not.toContain(wrongKey);
    expect(readFileSync(join(dir, 'out.state.json'), 'utf8')).not.toContain(wrongKey);
  });

  it('OpenAI insufficient_quota exits 4', async () => {
    const dir = e2e.dir();
    const input = join(dir, 'items.jsonl');
    writeItems(input, 100);
    e2e.server.configure({ quotaExhausted: true });
    const result = await runCli(['run', input, '-m', 'gpt-4o-mini', '-o', join(dir, 'out.jsonl'), '-c', '4', ...common], { env: openaiEnv(e2e.server) });
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/quota/i);
    expect(e2e.server.stats().requests).toBeLessThanOrEqual(5);
  });

  it('Anthropic "credit balance is too low" exits 4', async () => {
    const dir = e2e.dir();
    const input = join(dir, 'items.jsonl');
    writeItems(input, 100);
    e2e.server.configure({ quotaExhausted: true });
    const result = await runCli(['run', input, '-m', 'claude-haiku-4-5', '-o', join(dir, 'out.jsonl'), '-c', '4', ...common], { env: anthropicEnv(e2e.server) });
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/credit|quota/i);
  });
});

describe('interrupts and crashes', () => {
  it('SIGINT mid-run exits 130 with in-flight answers written; a resume completes with no item requested twice', async () => {
    const dir = e2e.dir();
    const input = join(dir, 'items.jsonl');
    const items = writeItems(input, 300);
    const out = join(dir, 'out.jsonl');
    e2e.server.configure({ latencyMs: 200 });
    const env = openaiEnv(e2e.server);
    const child = spawnCli(['run', input, '-m', 'gpt-4o-mini', '-o', out, '-c', '16', ...common], { env });
    const done = collect(child);
    // Interrupt mid-run: once answers are being written (the signal handlers are in place by then),
    // however slowly this machine starts the process.
    for (let waited = 0; waited < 30_000 && countLines(out) < 20; waited += 50) await sleep(50);
    child.kill('SIGINT');
    const first = await done;
    expect(first.code).toBe(130);
    expect(first.stderr).toContain('--resume');
    const partial = readResults(out).length;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(300);
    // Everything sent before the stop was answered and written: requests == results.
    expect(e2e.server.stats().successesByPrompt && Object.keys(e2e.server.stats().successesByPrompt).length).toBe(partial);

    e2e.server.configure({ latencyMs: 0 });
    const second = await runCli(['run', input, '-m', 'gpt-4o-mini', '-o', out, '--resume', ...common], { env });
    expect(second.code).toBe(0);
    const results = readResults(out);
    expect(results).toHaveLength(300);
    const counts = e2e.server.stats().requestCountsByPrompt;
    for (const prompt of await promptsOf(TEMPLATE, items)) expect(counts[prompt]).toBe(1);
  });

  it('repeated kill -9 then --resume ends with every item exactly once, no torn line, few repeats', async () => {
    const dir = e2e.dir();
    const input = join(dir, 'items.jsonl');
    writeItems(input, 400);
    const out = join(dir, 'out.jsonl');
    e2e.server.configure({ latencyMs: 40 });
    const env = openaiEnv(e2e.server);
    const concurrency = 16;
    let kills = 0;
    for (let round = 0; round < 5; round += 1) {
      const args = ['run', input, '-m', 'gpt-4o-mini', '-o', out, '-c', String(concurrency), ...common];
      if (round > 0) args.push('--resume');
      const child = spawnCli(args, { env });
      const done = collect(child);
      await sleep(700 + round * 150);
      if (child.exitCode === null) {
        child.kill('SIGKILL');
        kills += 1;
      }
      await done;
      // Every line on disk is whole JSON (readResults throws on a torn line in the middle).
      expect(() => readResults(out)).not.toThrow();
    }
    const final = await runCli(['run', input, '-m', 'gpt-4o-mini', '-o', out, '--resume', ...common], { env });
    expect(final.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const results = readResults(out);
    expect(results).toHaveLength(400);
    expect(new Set(results.map((r) => r.id)).size).toBe(400);
    // Only requests in flight at a kill can be repeated.
    expect(e2e.server.stats().requests - 400).toBeLessThanOrEqual(kills * concurrency);
  }, 180_000);
});

