import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { mockAnswer } from '../../../src/mock/answer.js';
import { startMockServer, type MockServer } from '../../../src/mock/server.js';
import { createBatchClient } from '../../../src/providers/batch/create-batch-client.js';
import { BatchCallError } from '../../../src/providers/batch/batch-call-error.js';
import type { BatchClient, BatchItemOutcome, BatchSnapshot } from '../../../src/providers/batch/types.js';
import type { ChatRequest } from '../../../src/providers/types.js';

const server: MockServer = await startMockServer({ batchCompletionDelayMs: 0 });
afterAll(() => server.close());
beforeEach(() => {
  server.resetStats();
  server.configure({ batchCompletionDelayMs: 0, batchExpire: false, apiKey: null });
});

const noSleep = async () => undefined;
const retry = { maxRetries: 2, maxWaitMs: 60_000, sleep: noSleep, random: () => 0 };
const signal = new AbortController().signal;

function clientFor(provider: 'openai' | 'anthropic', apiKey = 'test-key'): BatchClient {
  const baseUrl = provider === 'openai' ? `${server.url}/v1` : server.url;
  return createBatchClient({ provider, baseUrl, apiKey, timeoutMs: 10_000, retry });
}

function request(text: string, model: string): ChatRequest {
  return { messages: [{ role: 'user', content: [{ type: 'text', text }] }], params: { model, maxTokens: 200, extra: {} } };
}

async function runToEnd(client: BatchClient, prompts: string[], model: string): Promise<{ snapshot: BatchSnapshot; outcomes: BatchItemOutcome[] }> {
  const steps: string[] = [];
  const encoded = prompts.map((text, i) => client.encodeRequest(`c${i}`, request(text, model)));
  const submitted = await client.submit(encoded, { signal, onStep: (step) => steps.push(step) });
  expect(submitted.id).toBeTruthy();
  expect(steps.at(-1)).toBe('submitting');
  let snapshot = await client.poll(submitted.id, signal);
  for (let i = 0; snapshot.end === undefined && i < 50; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    snapshot = await client.poll(submitted.id, signal);
  }
  const outcomes: BatchItemOutcome[] = [];
  for await (const outcome of client.results(snapshot, signal)) outcomes.push(outcome);
  return { snapshot, outcomes };
}

describe.each([
  ['openai', 'gpt-4o-mini'],
  ['anthropic', 'claude-haiku-4-5'],
] as const)('%s batch client against the mock server', (provider, model) => {
  it('submits, polls and maps every result back by custom_id, with per-request errors', async () => {
    const client = clientFor(provider);
    const prompts = ['alpha item', 'beta item [[fault:400]]', 'gamma item'];
    const { snapshot, outcomes } = await runToEnd(client, prompts, model);
    expect(snapshot.end).toBe('completed');
    expect(snapshot.counts).toEqual({ total: 3, completed: 2, failed: 1 });
    const byId = new Map(outcomes.map((outcome) => [outcome.customId, outcome]));
    expect(byId.size).toBe(3);
    const first = byId.get('c0');
    expect(first?.kind).toBe('succeeded');
    if (first?.kind === 'succeeded') {
      expect(first.completion.text).toBe(mockAnswer(request('alpha item', model)).text);
      expect(first.completion.usage.inputTokens).toBeGreaterThan(0);
    }
    const bad = byId.get('c1');
    expect(bad).toMatchObject({ kind: 'failed', error: { class: 'bad_request' } });
    expect(server.stats().batchesCreated).toBe(1);
    await client.close();
  });

  it('turns an expired batch into expired dead letters', async () => {
    server.configure({ batchExpire: true });
    const client = clientFor(provider);
    const { snapshot, outcomes } = await runToEnd(client, ['one', 'two'], model);
    expect(snapshot.end).toBe('expired');
    expect(outcomes.map((outcome) => outcome.kind === 'failed' && outcome.error.class)).toEqual(['expired', 'expired']);
    await client.close();
  });

  it('cancels a running batch', async () => {
    server.configure({ batchCompletionDelayMs: 60_000 });
    const client = clientFor(provider);
    const submitted = await client.submit([client.encodeRequest('x1', request('one', model))], { signal, onStep: () => undefined });
    const canceling = await client.cancel(submitted.id, signal);
    expect(canceling.end).toBeUndefined();
    const after = await client.poll(submitted.id, signal);
    expect(after.end).toBe('canceled');
    await client.close();
  });

  it('fails fatally on a wrong key, without retrying', async () => {
    server.configure({ apiKey: 'the-right-key' });
    const client = clientFor(provider, 'the-wrong-key');
    const error = await client.submit([client.encodeRequest('x1', request('one', model))], { signal, onStep: () => undefined }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BatchCallError);
    expect((error as BatchCallError).fatal).toBe(true);
    expect((error as BatchCallError).message).not.toContain('the-wrong-key');
    expect(server.stats().requests).toBe(1);
    await client.close();
  });
});

describe('mock batch client (in-process)', () => {
  it('answers every request after its delay', async () => {
    const client = createBatchClient({ provider: 'mock', baseUrl: 'mock://', timeoutMs: 1000, retry });
    const submitted = await client.submit([client.encodeRequest('a', request('hello', 'mock'))], { signal, onStep: () => undefined });
    expect(submitted.id).toMatch(/^mockbatch_/);
    expect((await client.poll('unknown', signal)).end).toBe('expired');
  });
});
