import { describe, expect, it } from 'vitest';
import { MalformedResponseError } from '../../src/http/errors.js';
import { openaiWire, usesMaxCompletionTokens } from '../../src/providers/openai-wire.js';
import { toOutputSchema } from '../../src/providers/output-schema.js';
import type { ChatRequest } from '../../src/providers/types.js';
import { loadFixture } from './load-fixture.js';

interface RequestCase {
  name: string;
  request: ChatRequest;
  body: Record<string, unknown>;
}

describe('openaiWire request', () => {
  it('posts to /chat/completions with a bearer token', () => {
    expect(openaiWire.path).toBe('/chat/completions');
    expect(openaiWire.headers('sk-x')).toEqual({ authorization: 'Bearer sk-x', 'content-type': 'application/json' });
  });

  it.each(loadFixture<RequestCase[]>('provider-openai-request-cases.json').map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(openaiWire.buildBody(c.request)).toEqual(c.body);
  });

  it('does not mutate the caller’s schema', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    const before = structuredClone(schema);
    openaiWire.buildBody({ messages: [], params: { model: 'gpt-4o', extra: {}, schema: { name: 's', schema } } });
    expect(schema).toEqual(before);
  });

  it.each([
    ['o1', true],
    ['o1-mini', true],
    ['o3-mini', true],
    ['o4-mini', true],
    ['gpt-5', true],
    ['gpt-5-nano', true],
    ['openai/o3', true],
    ['gpt-4o', false],
    ['gpt-4.1-mini', false],
    ['llama3.1:8b', false],
    ['ft:o4-mini-2025-04-16:acme::BxY12', true],
    ['ft:gpt-4o-mini-2024-07-18:acme::abc', false],
  ])('%s uses max_completion_tokens: %s', (model, expected) => {
    expect(usesMaxCompletionTokens(model)).toBe(expected);
  });
});

describe('openaiWire structured output', () => {
  const body = (schema: Record<string, unknown>) =>
    openaiWire.buildBody({ messages: [], params: { model: 'gpt-4o-mini', extra: {}, schema: toOutputSchema(schema) } }) as {
      response_format: { json_schema: { schema: Record<string, unknown>; strict: boolean } };
    };

  it('wraps a non-object root in an object, strict when the wrapped schema qualifies', () => {
    expect(body({ type: 'string', enum: ['yes', 'no'] }).response_format.json_schema).toEqual({
      name: 'answer',
      schema: { type: 'object', properties: { value: { type: 'string', enum: ['yes', 'no'] } }, required: ['value'], additionalProperties: false },
      strict: true,
    });
  });

  it('keeps $defs at the root of a wrapped schema so its $refs still resolve', () => {
    const wrapped = body({ type: 'array', items: { $ref: '#/$defs/tag' }, $defs: { tag: { type: 'string' } } }).response_format.json_schema;
    expect(wrapped.schema).toMatchObject({ $defs: { tag: { type: 'string' } }, properties: { value: { type: 'array', items: { $ref: '#/$defs/tag' } } } });
  });

  it('sends an allOf schema unchanged with strict: false, never a closed and unsatisfiable copy', () => {
    const schema = {
      type: 'object',
      allOf: [{ properties: { a: { type: 'string' } }, required: ['a'] }, { properties: { b: { type: 'string' } }, required: ['b'] }],
    };
    expect(body(schema).response_format.json_schema).toMatchObject({ schema, strict: false });
  });
});

describe('openaiWire response', () => {
  it('parses a chat completion; prompt_tokens already includes the cached tokens', () => {
    expect(openaiWire.parseCompletion(loadFixture('provider-openai-chat-response.json'))).toEqual({
      text: 'positive',
      finishReason: 'stop',
      truncated: false,
      model: 'gpt-4o-mini-2024-07-18',
      serviceTier: 'default',
      usage: { inputTokens: 2006, outputTokens: 3, cachedInputTokens: 1920, cacheWriteTokens: 0, reasoningTokens: 0 },
    });
  });

  it('reads reasoning tokens (inside completion_tokens) and flags finish_reason length as truncated', () => {
    expect(openaiWire.parseCompletion(loadFixture('provider-openai-reasoning-response.json'))).toEqual({
      text: '',
      finishReason: 'length',
      truncated: true,
      model: 'o3-mini-2025-01-31',
      serviceTier: 'default',
      usage: { inputTokens: 75, outputTokens: 256, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 256 },
    });
  });

  it('reads message.refusal as a refusal with the model’s text, never as the answer', () => {
    const completion = openaiWire.parseCompletion(loadFixture('provider-openai-refusal-response.json'));
    expect(completion.text).toBe('');
    expect(completion.refusal).toBe("I'm sorry, I can't help with that request.");
    expect(completion.usage).toMatchObject({ inputTokens: 40, outputTokens: 12, cachedInputTokens: 0, reasoningTokens: 0 });
  });

  it('takes the cost OpenRouter reports, and its cache writes', () => {
    expect(openaiWire.parseCompletion(loadFixture('provider-openrouter-response.json'))).toEqual({
      text: '{"label":"negative"}',
      finishReason: 'stop',
      truncated: false,
      model: 'anthropic/claude-3.5-sonnet',
      usage: { inputTokens: 194, outputTokens: 8, cachedInputTokens: 0, cacheWriteTokens: 100, reasoningTokens: 0, reportedCostUsd: 0.000702 },
    });
  });

  it('treats missing usage as zero rather than failing the answer', () => {
    const completion = openaiWire.parseCompletion({ model: 'local', choices: [{ message: { content: 'hi' }, finish_reason: 'stop' }] });
    expect(completion.usage).toEqual({ inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
  });

  it.each<[string, unknown]>([
    ['not an object', 'hello'],
    ['no choices', { id: 'x', choices: [] }],
    ['an error object with status 200', { error: { message: 'upstream failed' } }],
    ['a message without content', { choices: [{ message: { role: 'assistant', content: null }, finish_reason: 'stop' }] }],
  ])('throws MalformedResponseError for %s', (_name, body) => {
    expect(() => openaiWire.parseCompletion(body)).toThrow(MalformedResponseError);
  });
});
