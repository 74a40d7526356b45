import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { MalformedResponseError } from '../../src/http/errors.js';
import { BatchCallError } from '../../src/providers/batch/batch-call-error.js';
import { createMockBatchClient } from '../../src/providers/batch/mock-batch-client.js';
import type { BatchClient } from '../../src/providers/batch/types.js';
import { startMockServer, type MockServer } from '../../src/mock/server.js';
import { runBatchJob } from '../../src/run/run-batch-job.js';
import { loadTemplate } from '../../src/template/load-template.js';
import { batchConfig, batchDeps, numberedItems, readFailures, readResults, readStateFile, tempDir, writeItems } from './batch-test-helpers.js';

const server: MockServer = await startMockServer({ batchCompletionDelayMs: 20 });
afterAll(() => server.close());
beforeEach(() => {
  server.resetStats();
  server.configure({ batchCompletionDelayMs: 20, batchExpire: false, apiKey: null });
});

const template = await loadTemplate({ inline: '{{text}}' });

describe('runBatchJob options', () => {
  it('answers cache hits locally and stores batch answers in the cache', async () => {
    const dir = tempDir();
    const cacheDir = join(dir, 'cache');
    const input = writeItems(dir, numberedItems(20));
    const first = await runBatchJob(batchConfig(server, 'openai', input, join(dir, 'a.jsonl'), { cacheDir }), template, batchDeps());
    expect(first).toMatchObject({ succeeded: 20, cacheHits: 0 });
    expect(server.stats().batchesCreated).toBe(1);

    const second = await runBatchJob(batchConfig(server, 'openai', input, join(dir, 'b.jsonl'), { cacheDir }), template, batchDeps());
    expect(second).toMatchObject({ stop: 'completed', succeeded: 20, cacheHits: 20, spentUsd: 0 });
    expect(server.stats().batchesCreated).toBe(1);
    expect(readResults(join(dir, 'b.jsonl')).every((r) => r.cached && r.cost_usd === 0)).toBe(true);
  });

  it('sends identical requests once per batch and answers every item', async () => {
    const dir = tempDir();
    const input = writeItems(dir, [
      { id: 'a', text: 'same text' },
      { id: 'b', text: 'same text' },
      { id: 'c', text: 'other text' },
    ]);
    const output = join(dir, 'out.jsonl');
    const summary = await runBatchJob(batchConfig(server, 'anthropic', input, output), template, batchDeps());
    expect(summary).toMatchObject({ succeeded: 3, requestsSent: 2, dedupHits: 1 });
    expect(server.stats().requestCountsByPrompt).toEqual({ 'same text': 1, 'other text': 1 });
    const results = readResults(output);
    expect(results.find((r) => r.id === 'a')?.output).toBe(results.find((r) => r.id === 'b')?.output);
  });

  it('with --budget submits what fits, batch after batch as real costs free it, stops with budget, and a resume carries on', async () => {
    const dir = tempDir();
    const input = writeItems(dir, numberedItems(50));
    const output = join(dir, 'out.jsonl');
    // gpt-4o-mini in batch mode: ~$0.0000309 worst case per item at max_tokens 100 → 3 fit at a time, while
    // an item really costs a fraction of that: the budget is spent over several batches, not left unused.
    const budgetUsd = 0.0001;
    const summary = await runBatchJob(batchConfig(server, 'openai', input, output, { budgetUsd }), template, batchDeps());
    expect(summary.stop).toBe('budget');
    expect(summary.succeeded).toBeGreaterThan(3);
    expect(summary.succeeded).toBeLessThan(50);
    expect(summary.spentUsd ?? 0).toBeLessThanOrEqual(budgetUsd);
    // Only ~3 worst cases fit in this budget, so the last request's minimum cap leaves more than 10% over;
    // the ≥ 90% target at realistic ratios is checked end to end (test/e2e/budget-use.test.ts).
    expect(summary.spentUsd ?? 0).toBeGreaterThanOrEqual(0.8 * budgetUsd);
    expect(server.stats().batchesCreated).toBeGreaterThan(1);
    expect(summary.resumeCommand).toContain('--resume');

    const rest = await runBatchJob(batchConfig(server, 'openai', input, output, { resume: true }), template, batchDeps());
    expect(rest.stop).toBe('completed');
    expect(readResults(output)).toHaveLength(50);
  });

  it('Ctrl-C while polling leaves the batch running and returns an interrupted, resumable summary', async () => {
    server.configure({ batchCompletionDelayMs: 60_000 });
    const dir = tempDir();
    const input = writeItems(dir, numberedItems(10));
    const output = join(dir, 'out.jsonl');
    const deps = batchDeps((event, control) => {
      if (event.type === 'batch-progress') control.stop('interrupted');
    });
    const summary = await runBatchJob(batchConfig(server, 'openai', input, output), template, deps);
    expect(summary).toMatchObject({ stop: 'interrupted', succeeded: 0, inFlight: 10 });
    expect(summary.resumeCommand).toContain('--resume');
    expect(deps.events.some((event) => event.type === 'warning' && event.message.includes('still running'))).toBe(true);
    const [batch] = readStateFile(output).batches;
    expect(batch.status).toBe('in_progress');
    expect(batch.collectedAt).toBeUndefined();
  });

  it('stops with a fatal error on a rejected key, leaving items pending', async () => {
    server.configure({ apiKey: 'right-key' });
    const dir = tempDir();
    const input = writeItems(dir, numberedItems(5));
    const output = join(dir, 'out.jsonl');
    const summary = await runBatchJob(batchConfig(server, 'anthropic', input, output, { apiKey: 'wrong-key' }), template, batchDeps());
    expect(summary.stop).toBe('fatal');
    expect(summary.fatalMessage).toMatch(/401/);
    expect(readFailures(output)).toHaveLength(0);
    expect(server.stats().batchesCreated).toBe(0);
  });

  it('refuses bad input before sending anything', async () => {
    const dir = tempDir();
    const input = writeItems(dir, [{ id: 'a', text: 'ok' }, { id: 'a', text: 'duplicate' }]);
    const run = runBatchJob(batchConfig(server, 'openai', input, join(dir, 'out.jsonl')), template, batchDeps());
    await expect(run).rejects.toBeInstanceOf(UsageError);
    expect(server.stats().requests).toBe(0);
  });

  it('runs the in-process mock provider offline', async () => {
    const dir = tempDir();
    const input = writeItems(dir, numberedItems(5));
    const output = join(dir, 'out.jsonl');
    const config = batchConfig(server, 'openai', input, output, { provider: 'mock', baseUrl: 'mock://', apiKey: undefined, params: { model: 'mock', extra: {} } });
    const summary = await runBatchJob(config, template, batchDeps(undefined, { createBatchClient: () => createMockBatchClient({ completionDelayMs: 0 }) }));
    expect(summary).toMatchObject({ stop: 'completed', succeeded: 5, mode: 'batch', provider: 'mock' });
    expect(server.stats().requests).toBe(0);
  });

  it('reads a download cut off halfway again, writing every item once', async () => {
    const dir = tempDir();
    const input = writeItems(dir, numberedItems(10));
    const output = join(dir, 'out.jsonl');
    const inner = createMockBatchClient({ completionDelayMs: 0 });
    let cuts = 0;
    const flaky: BatchClient = {
      ...inner,
      async *results(snapshot, signal) {
        let n = 0;
        for await (const outcome of inner.results(snapshot, signal)) {
          if (cuts === 0 && ++n > 4) {
            cuts += 1;
            throw new MalformedResponseError('body cut off', 200);
          }
          yield outcome;
        }
      },
    };
    const config = batchConfig(server, 'openai', input, output, { provider: 'mock', baseUrl: 'mock://', apiKey: undefined, params: { model: 'mock', extra: {} } });
    const deps = batchDeps(undefined, { createBatchClient: () => flaky, sleep: async () => undefined });
    const summary = await runBatchJob(config, template, deps);
    expect(cuts).toBe(1);
    expect(summary).toMatchObject({ stop: 'completed', succeeded: 10, failed: 0 });
    const ids = readResults(output).map((r) => r.id);
    expect(new Set(ids).size).toBe(10);
    expect(ids).toHaveLength(10);
    expect(deps.events.some((event) => event.type === 'warning' && event.message.includes('download the results'))).toBe(true);
  });

  it('writes the requests of a rejected batch as failed and goes on', async () => {
    const dir = tempDir();
    const input = writeItems(dir, numberedItems(6));
    const output = join(dir, 'out.jsonl');
    const inner = createMockBatchClient({ completionDelayMs: 0 });
    let submissions = 0;
    const picky: BatchClient = {
      ...inner,
      submit(encoded, options) {
        submissions += 1;
        if (submissions > 1) return inner.submit(encoded, options);
        return Promise.reject(new BatchCallError('create the batch', { disposition: 'dead-letter', pausesDispatch: false, info: { class: 'bad_request', status: 413, message: 'HTTP 413: too large' } }));
      },
    };
    const config = batchConfig(server, 'openai', input, output, { provider: 'mock', baseUrl: 'mock://', apiKey: undefined, params: { model: 'mock', extra: {} } });
    const summary = await runBatchJob(config, template, batchDeps(undefined, { createBatchClient: () => picky, batchLimits: { maxRequests: 3 } }));
    expect(summary).toMatchObject({ stop: 'completed', succeeded: 3, failed: 3, failedByClass: { bad_request: 3 } });
    expect(readFailures(output).map((f) => f.error.status)).toEqual([413, 413, 413]);
  });

  it.each(['openai', 'anthropic'] as const)('validates structured output from %s batches and keeps the parsed value', async (provider) => {
    const dir = tempDir();
    const input = writeItems(dir, numberedItems(4));
    const output = join(dir, 'out.jsonl');
    const schema = { type: 'object', properties: { label: { type: 'string', enum: ['cheap', 'premium'] } }, required: ['label'], additionalProperties: false };
    const base = batchConfig(server, provider, input, output);
    const config = { ...base, params: { ...base.params, schema: { name: 'answer', schema } } };
    const summary = await runBatchJob(config, template, batchDeps());
    expect(summary).toMatchObject({ succeeded: 4, failed: 0 });
    for (const result of readResults(output)) expect(['cheap', 'premium']).toContain((result.parsed as { label: string }).label);
  });
});
