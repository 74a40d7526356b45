import { Ajv } from 'ajv';
import { describe, expect, it, vi } from 'vitest';
import { mockAnswer } from '../../src/mock/answer.js';
import { createMockProvider } from '../../src/providers/mock.js';
import type { ChatRequest } from '../../src/providers/types.js';

const request: ChatRequest = {
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Classify into one of: Electronics, Books. Item: a novel' }] }],
  params: { model: 'mock', extra: {} },
};

describe('createMockProvider', () => {
  it('identifies as the in-process mock', () => {
    const provider = createMockProvider();
    expect(provider.id).toBe('mock');
    expect(provider.baseUrl).toBe('mock://local');
  });

  it('answers with mockAnswer: deterministic text, usage, stop, the requested model', async () => {
    const provider = createMockProvider({ latencyMs: 0 });
    const first = await provider.complete(request, new AbortController().signal);
    const second = await provider.complete(request, new AbortController().signal);
    expect(second).toEqual(first);
    const expected = mockAnswer(request);
    expect(first).toEqual({
      completion: {
        text: expected.text,
        finishReason: 'stop',
        truncated: false,
        usage: { inputTokens: expected.usage.inputTokens, outputTokens: expected.usage.outputTokens, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 },
        model: 'mock',
      },
      headers: {},
      status: 200,
    });
    expect(['Electronics', 'Books']).toContain(first.completion.text);
  });

  it('honours structured output like the server does', async () => {
    const schema = { type: 'object', properties: { label: { type: 'string', enum: ['x', 'y'] }, score: { type: 'integer', minimum: 1, maximum: 5 } }, required: ['label', 'score'] };
    const provider = createMockProvider({ latencyMs: 0 });
    const withSchema = { ...request, params: { ...request.params, schema: { name: 'out', schema }, maxTokens: 1 } };
    const res = await provider.complete(withSchema, new AbortController().signal);
    expect(new Ajv().validate(schema, JSON.parse(res.completion.text))).toBe(true);
    expect(res.completion.text).toBe(mockAnswer(withSchema).text);
  });

  it('stops at maxTokens with finish reason length', async () => {
    const provider = createMockProvider({ latencyMs: 0 });
    const summary: ChatRequest = { messages: [{ role: 'user', content: [{ type: 'text', text: 'Summarize: a kettle' }] }], params: { model: 'm', maxTokens: 1, extra: {} } };
    const res = await provider.complete(summary, new AbortController().signal);
    expect(res.completion).toMatchObject({ finishReason: 'length', truncated: true, usage: { outputTokens: 1 } });
  });

  it('waits the simulated latency, drawn from {min,max} with the injected random', async () => {
    const sleep = vi.fn(async () => undefined);
    const provider = createMockProvider({ latencyMs: { min: 100, max: 300 }, random: () => 0.25, sleep });
    const signal = new AbortController().signal;
    await provider.complete(request, signal);
    expect(sleep).toHaveBeenCalledWith(150, signal);
  });

  it('really sleeps with the default sleep', async () => {
    const provider = createMockProvider({ latencyMs: 80 });
    const started = performance.now();
    await provider.complete(request, new AbortController().signal);
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
  });

  it('defaults to 150–600 ms so the demo shows progress', async () => {
    const sleep = vi.fn(async () => undefined);
    await createMockProvider({ random: () => 1, sleep }).complete(request, new AbortController().signal);
    await createMockProvider({ random: () => 0, sleep }).complete(request, new AbortController().signal);
    expect(sleep.mock.calls.map((c) => (c as unknown[])[0])).toEqual([600, 150]);
  });

  it('rejects with an AbortError when aborted mid-latency, carrying the reason', async () => {
    const provider = createMockProvider({ latencyMs: 10_000 });
    const controller = new AbortController();
    const started = performance.now();
    const pending = provider.complete(request, controller.signal);
    setTimeout(() => controller.abort(new Error('timeout')), 20);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError', cause: new Error('timeout') });
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const sleep = vi.fn(async () => undefined);
    const provider = createMockProvider({ sleep });
    await expect(provider.complete(request, AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' });
    expect(sleep).not.toHaveBeenCalled();
  });

  it('close() resolves', async () => {
    await expect(createMockProvider().close()).resolves.toBeUndefined();
  });
});
