import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { mockAnswer } from '../../src/mock/answer.js';
import { startMockServer, type MockServer } from '../../src/mock/server.js';
import { runBatchJob } from '../../src/run/run-batch-job.js';
import { loadTemplate } from '../../src/template/load-template.js';
import {
  batchConfig,
  batchDeps,
  MODELS,
  numberedItems,
  readFailures,
  readResults,
  readStateFile,
  tempDir,
  writeItems,
} from './batch-test-helpers.js';

const server: MockServer = await startMockServer({ batchCompletionDelayMs: 50 });
afterAll(() => server.close());
beforeEach(() => {
  server.resetStats();
  server.configure({ batchCompletionDelayMs: 50, batchExpire: false });
});

const template = await loadTemplate({ inline: '{{text}}' });
const PROVIDERS = ['openai', 'anthropic'] as const;

function expectedText(provider: 'openai' | 'anthropic', text: string): string {
  return mockAnswer({ messages: [{ role: 'user', content: [{ type: 'text', text }] }], params: { model: MODELS[provider], maxTokens: 100, extra: {} } }).text;
}

describe.each(PROVIDERS)('runBatchJob with %s', (provider) => {
  it('a 500-item batch with one bad item yields 499 results and 1 dead letter', async () => {
    const dir = tempDir();
    const items = numberedItems(500, [137]);
    const input = writeItems(dir, items);
    const output = join(dir, 'out.jsonl');
    const deps = batchDeps();
    const summary = await runBatchJob(batchConfig(server, provider, input, output), template, deps);

    expect(summary).toMatchObject({ stop: 'completed', mode: 'batch', succeeded: 499, failed: 1, total: 500, requestsSent: 500 });
    expect(summary.failedByClass).toEqual({ bad_request: 1 });
    expect(summary.resumeCommand).toContain('--resume');
    const results = readResults(output);
    expect(results).toHaveLength(499);
    expect(new Set(results.map((r) => r.id)).size).toBe(499);
    const first = results.find((r) => r.id === 'item-1');
    expect(first).toMatchObject({ mode: 'batch', cached: false, attempts: 1, output: expectedText(provider, 'Describe product number 1') });
    expect(first?.cost_usd).toBeGreaterThan(0);
    // Batch prices: what realtime would have cost is the discount's inverse.
    expect(summary.spentUsd).toBeGreaterThan(0);
    expect(summary.otherModeUsd).toBeCloseTo((summary.spentUsd ?? 0) * 2, 10);
    const failures = readFailures(output);
    expect(failures).toHaveLength(1);
    // OpenAI's error file keeps the HTTP status; Anthropic's errored result names the error type instead.
    const detail = provider === 'openai' ? { status: 400 } : { code: 'invalid_request_error' };
    expect(failures[0]).toMatchObject({ id: 'item-137', error: { class: 'bad_request', ...detail } });

    expect(server.stats().batchesCreated).toBe(1);
    const state = readStateFile(output);
    expect(state.batches).toHaveLength(1);
    expect(state.batches[0]).toMatchObject({ provider, itemCount: 500 });
    expect(state.batches[0].collectedAt).toBeDefined();
    expect(state.batches[0].customIdMap).toBeUndefined();
    const types = deps.events.map((event) => event.type);
    expect(types).toContain('batch-submitted');
    expect(types).toContain('batch-progress');
    expect(types.at(-1)).toBe('run-finished');
    // The wait tells the user how long it has lasted, when the next news can come, and that Ctrl-C is safe.
    const polling = deps.events.find((event) => event.type === 'phase-started' && event.phase === 'polling');
    expect(polling).toMatchObject({ text: 'waiting for 1 batch (Ctrl-C leaves it running)' });
    // (On a loaded machine the batch may already have ended at the first poll, so no round is assumed.)
    for (const event of deps.events) {
      if (event.type !== 'batch-progress') continue;
      expect(event.waitedMs).toBeGreaterThanOrEqual(0);
      // The poll interval of batchDeps backs off from 10 to 40 ms.
      if (event.nextPollMs !== undefined) expect(event.nextPollMs >= 10 && event.nextPollMs <= 40).toBe(true);
    }
    // The last poll saw the batch end: nothing more is polled, so no "next poll" is announced.
    expect(deps.events.findLast((event) => event.type === 'batch-progress')).not.toHaveProperty('nextPollMs');
  });

  it('re-attaches after a stop right after submission: one batch on the server, every item collected once', async () => {
    server.configure({ batchCompletionDelayMs: 300 });
    const dir = tempDir();
    const input = writeItems(dir, numberedItems(120));
    const output = join(dir, 'out.jsonl');
    const first = batchDeps((event, control) => {
      if (event.type === 'batch-submitted') control.stop('interrupted');
    });
    const stopped = await runBatchJob(batchConfig(server, provider, input, output), template, first);
    expect(stopped.stop).toBe('interrupted');
    expect(stopped.resumeCommand).toContain('--resume');
    expect(readResults(output)).toHaveLength(0);
    const recorded = readStateFile(output).batches;
    expect(recorded).toHaveLength(1);
    expect(Object.keys(recorded[0].customIdMap ?? {})).toHaveLength(120);
    expect(recorded[0].collectedAt).toBeUndefined();

    const resumed = await runBatchJob(batchConfig(server, provider, input, output, { resume: true }), template, batchDeps());
    expect(resumed).toMatchObject({ stop: 'completed', succeeded: 120, failed: 0, requestsSent: 0 });
    expect(server.stats().batchesCreated).toBe(1);
    const ids = readResults(output).map((r) => r.id);
    expect(ids).toHaveLength(120);
    expect(new Set(ids).size).toBe(120);
    expect(Object.values(server.stats().requestCountsByPrompt).every((count) => count === 1)).toBe(true);

    // Idempotent: a finished output does nothing.
    const again = await runBatchJob(batchConfig(server, provider, input, output, { resume: true }), template, batchDeps());
    expect(again).toMatchObject({ stop: 'completed', succeeded: 0, total: 0 });
    expect(server.stats().batchesCreated).toBe(1);
  });

  it('splits inputs over the per-batch limits into several batches', async () => {
    const dir = tempDir();
    const input = writeItems(dir, numberedItems(250));
    const output = join(dir, 'out.jsonl');
    const deps = batchDeps(undefined, { batchLimits: { maxRequests: 100 } });
    const summary = await runBatchJob(batchConfig(server, provider, input, output), template, deps);
    expect(summary).toMatchObject({ stop: 'completed', succeeded: 250 });
    expect(server.stats().batchesCreated).toBe(3);
    const sizes = deps.events.flatMap((event) => (event.type === 'batch-submitted' ? [event.requests] : []));
    expect(sizes).toEqual([100, 100, 50]);
    expect(readStateFile(output).batches).toHaveLength(3);
  });

  it('splits by bytes too', async () => {
    const dir = tempDir();
    const input = writeItems(dir, numberedItems(30));
    const output = join(dir, 'out.jsonl');
    const deps = batchDeps(undefined, { batchLimits: { maxBytes: 2_000 } });
    const summary = await runBatchJob(batchConfig(server, provider, input, output), template, deps);
    expect(summary.succeeded).toBe(30);
    expect(server.stats().batchesCreated).toBeGreaterThan(1);
  });

  it('writes expired items as `expired` dead letters, and a resume retries them in a new batch', async () => {
    server.configure({ batchExpire: true });
    const dir = tempDir();
    const input = writeItems(dir, numberedItems(40));
    const output = join(dir, 'out.jsonl');
    const expired = await runBatchJob(batchConfig(server, provider, input, output), template, batchDeps());
    expect(expired).toMatchObject({ stop: 'completed', succeeded: 0, failed: 40, failedByClass: { expired: 40 } });
    expect(readFailures(output).every((failure) => failure.error.class === 'expired')).toBe(true);

    server.configure({ batchExpire: false });
    const retried = await runBatchJob(batchConfig(server, provider, input, output, { resume: true }), template, batchDeps());
    expect(retried).toMatchObject({ stop: 'completed', succeeded: 40, failed: 0 });
    expect(server.stats().batchesCreated).toBe(2);
    expect(readResults(output)).toHaveLength(40);
  });
});

describe('runBatchJob custom ids', () => {
  it('maps unsafe item ids (spaces, unicode, 200 characters, clashes) back to the right items', async () => {
    const ids = ['has space', 'ünïcødé-✓', 'x'.repeat(200), 'i1', 'i2', '__proto__', 'plain_id-7', 'a/b?c'];
    const dir = tempDir();
    const input = writeItems(dir, ids.map((id, n) => ({ id, text: `text for item ${n}` })));
    const output = join(dir, 'out.jsonl');
    const summary = await runBatchJob(batchConfig(server, 'anthropic', input, output), template, batchDeps());
    expect(summary).toMatchObject({ stop: 'completed', succeeded: ids.length, failed: 0 });
    const byId = new Map(readResults(output).map((r) => [r.id, r.output]));
    ids.forEach((id, n) => expect(byId.get(id)).toBe(expectedText('anthropic', `text for item ${n}`)));
  });

  it('keeps the mapping in the state file while the batch runs', async () => {
    server.configure({ batchCompletionDelayMs: 60_000 });
    const dir = tempDir();
    const input = writeItems(dir, [{ id: 'ünï code', text: 'one' }, { id: 'safe-id', text: 'two' }]);
    const output = join(dir, 'out.jsonl');
    const deps = batchDeps((event, control) => {
      if (event.type === 'batch-submitted') control.stop('interrupted');
    });
    await runBatchJob(batchConfig(server, 'anthropic', input, output), template, deps);
    const map = readStateFile(output).batches[0].customIdMap ?? {};
    expect(Object.values(map).sort()).toEqual(['safe-id', 'ünï code']);
    expect(map['safe-id']).toBe('safe-id');
    expect(Object.keys(map).every((customId) => /^[a-zA-Z0-9_-]{1,64}$/.test(customId))).toBe(true);
  });
});
