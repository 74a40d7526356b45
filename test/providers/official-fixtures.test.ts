/**
 * The readers against payloads copied from the providers' official sources (OpenAI's OpenAPI spec
 * examples, openai-node and anthropic-sdk-typescript test fixtures), not against payloads we wrote.
 */
import { describe, expect, it } from 'vitest';
import { readOpenAiBatch } from '../../src/providers/batch/openai-batch-shapes.js';
import { parseAnthropicCompletion } from '../../src/providers/anthropic-wire.js';
import { parseOpenAiCompletion } from '../../src/providers/openai-wire.js';
import { validateOutput } from '../../src/providers/validate-output.js';
import { foldAnthropicStream, officialJson } from '../helpers/official-fixtures.js';

describe('OpenAI Chat Completions (openai/openai-openapi examples)', () => {
  it('reads the Default example', () => {
    expect(parseOpenAiCompletion(officialJson('openai-chat-default.json'))).toEqual({
      text: 'Hello! How can I assist you today?',
      finishReason: 'stop',
      truncated: false,
      model: 'gpt-5.4',
      serviceTier: 'default',
      usage: { inputTokens: 19, outputTokens: 10, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 },
    });
  });

  it('reads the Image input example', () => {
    const completion = parseOpenAiCompletion(officialJson('openai-chat-image-input.json'));
    expect(completion.text.length).toBeGreaterThan(0);
    expect(completion.refusal).toBeUndefined();
  });

  it('reads a refusal (content null, refusal text) as a refusal, never as an answer', () => {
    const completion = parseOpenAiCompletion(officialJson('openai-chat-refusal.json'));
    expect(completion).toMatchObject({ text: '', refusal: "I'm very sorry, but I can't assist with that request." });
    const check = validateOutput(completion, {});
    expect(check.ok).toBe(false);
  });

  it('reads the batch retrieve example', () => {
    expect(readOpenAiBatch(officialJson('openai-batch-retrieve.json'))).toEqual({
      id: 'batch_abc123',
      status: 'completed',
      end: 'completed',
      counts: { total: 100, completed: 95, failed: 5 },
      resultRefs: ['file-cvaTdG', 'file-HOWS94'],
    });
  });
});

describe('Anthropic Messages (anthropics/anthropic-sdk-typescript test fixtures)', () => {
  it('reads the basic response', () => {
    expect(parseAnthropicCompletion(foldAnthropicStream('anthropic-basic_response.sse'))).toMatchObject({
      finishReason: 'end_turn',
      truncated: false,
      model: 'claude-opus-4-8',
      usage: { inputTokens: 11, outputTokens: 6, reasoningTokens: 0 },
    });
  });

  it('reads a tool_use answer as the tool input', () => {
    const completion = parseAnthropicCompletion(foldAnthropicStream('anthropic-tool_use_response.sse'));
    expect(completion.finishReason).toBe('tool_use');
    expect(JSON.parse(completion.text)).toEqual({ location: expect.any(String) });
  });

  it('reads stop_reason refusal as a refusal with the model’s text, and its thinking tokens', () => {
    const message = foldAnthropicStream('anthropic-stream-a-refusal.sse');
    const completion = parseAnthropicCompletion(message);
    expect(completion).toMatchObject({ text: '', finishReason: 'refusal', refusal: 'Hi' });
    expect(completion.usage.reasoningTokens).toBe(67);
    expect(validateOutput(completion, {}).ok).toBe(false);
  });
});
