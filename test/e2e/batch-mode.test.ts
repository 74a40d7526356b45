import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collect, FIXTURES, runCli, spawnCli } from '../helpers/cli.js';
import { anthropicEnv, expectedAnswers, openaiEnv, readFailures, readResults, writeItems, useMockServer } from '../helpers/e2e.js';

const TEMPLATE = join(FIXTURES, 'describe.hbs');
const common = ['-t', TEMPLATE, '--no-cache', '--quiet', '--mode', 'batch'];

const e2e = useMockServer({ batchCompletionDelayMs: 300 });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('--mode batch, end to end through the CLI', () => {
  it('OpenAI: 500 items with one bad item → 499 results at batch prices and 1 dead letter', async () => {
    const input = join(e2e.dir(), 'items.jsonl');
    const items = writeItems(input, 500, (i) => (i === 250 ? ' [[fault:400]]' : ''));
    const out = join(e2e.dir(), 'out.jsonl');
    const result = await runCli(['run', input, '-m', 'gpt-4o-mini', '-o', out, ...common], { env: openaiEnv(e2e.server) });
    expect(result.code).toBe(1);
    const results = readResults(out);
    expect(results).toHaveLength(499);
    const expected = await expectedAnswers(TEMPLATE, items);
    for (const record of results) {
      expect(record.mode).toBe('batch');
      expect(record.output).toBe(expected.get(record.id)?.text);
    }
    const failures = readFailures(join(e2e.dir(), 'out.failed.jsonl'));
    expect(failures.map((f) => f.id)).toEqual(['item-250']);
    expect(e2e.server.stats().batchesCreated).toBe(1);
  });

  it('Anthropic: kill -9 after submission, then --resume re-attaches to the one batch and collects everything', async () => {
    const input = join(e2e.dir(), 'items.jsonl');
    writeItems(input, 200);
    const out = join(e2e.dir(), 'out.jsonl');
    const state = join(e2e.dir(), 'out.state.json');
    e2e.server.configure({ batchCompletionDelayMs: 3000 });
    const env = anthropicEnv(e2e.server);
    const child = spawnCli(['run', input, '-m', 'claude-haiku-4-5', '-o', out, ...common], { env });
    const done = collect(child);
    for (let waited = 0; waited < 30_000; waited += 100) {
      if (existsSync(state) && readFileSync(state, 'utf8').includes('msgbatch_')) break;
      await sleep(100);
    }
    child.kill('SIGKILL');
    await done;
    expect(e2e.server.stats().batchesCreated).toBe(1);

    e2e.server.configure({ batchCompletionDelayMs: 0 });
    const resumed = await runCli(['run', input, '-m', 'claude-haiku-4-5', '-o', out, '--resume', ...common], { env });
    expect(resumed.code).toBe(0);
    expect(e2e.server.stats().batchesCreated).toBe(1);
    const results = readResults(out);
    expect(results).toHaveLength(200);
    expect(new Set(results.map((r) => r.id)).size).toBe(200);
  });
});
