import { describe, expect, it } from 'vitest';
import { MalformedResponseError } from '../../src/http/errors.js';
import { anthropicWire, createAnthropicWire } from '../../src/providers/anthropic-wire.js';
import { toOutputSchema } from '../../src/providers/output-schema.js';
import type { ChatRequest } from '../../src/providers/types.js';
import type { ChatMessage } from '../../src/template/types.js';
import { loadFixture } from './load-fixture.js';

interface RequestCase {
  name: string;
  request: ChatRequest;
  body: Record<string, unknown>;
}

const text = (role: ChatMessage['role'], value: string): ChatMessage => ({ role, content: [{ type: 'text', text: value }] });
/** Template text without item variables: the same for every item. */
const shared = (role: ChatMessage['role'], value: string): ChatMessage => ({ ...text(role, value), shared: true });

describe('anthropicWire request', () => {
  it('posts to /v1/messages with x-api-key and anthropic-version', () => {
    expect(anthropicWire.path).toBe('/v1/messages');
    expect(anthropicWire.headers('sk-ant-x')).toEqual({
      'x-api-key': 'sk-ant-x',
      'anthropic-version': '2023-06-01',
      'content-type': 'application/json',
    });
  });

  it.each(loadFixture<RequestCase[]>('provider-anthropic-request-cases.json').map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(anthropicWire.buildBody(c.request)).toEqual(c.body);
  });

  it('marks a long system prompt for the prompt cache', () => {
    const system = 'Rules. '.repeat(1000);
    const body = anthropicWire.buildBody({
      messages: [shared('system', system), text('user', 'Review: fine')],
      params: { model: 'claude-sonnet-4-5', extra: {} },
    });
    expect(body.system).toEqual([{ type: 'text', text: system, cache_control: { type: 'ephemeral' } }]);
    expect(body.messages).toEqual([{ role: 'user', content: 'Review: fine' }]);
  });

  it('marks the few-shot examples before the final user message', () => {
    const example = 'An example review that is rather long. '.repeat(120);
    const body = anthropicWire.buildBody({
      messages: [shared('system', 'Classify.'), shared('user', example), shared('assistant', 'positive'), text('user', 'Review: awful')],
      params: { model: 'claude-sonnet-4-5', extra: {} },
    });
    expect(body.system).toBe('Classify.');
    expect(body.messages).toEqual([
      { role: 'user', content: example },
      { role: 'assistant', content: [{ type: 'text', text: 'positive', cache_control: { type: 'ephemeral' } }] },
      { role: 'user', content: 'Review: awful' },
    ]);
  });

  it('accepts a token estimate function', () => {
    const wire = createAnthropicWire({ estimateTokens: () => 5000 });
    const body = wire.buildBody({ messages: [shared('system', 'short'), text('user', 'hi')], params: { model: 'claude-sonnet-4-5', extra: {} } });
    expect(body.system).toEqual([{ type: 'text', text: 'short', cache_control: { type: 'ephemeral' } }]);
  });

  it('never marks a long system prompt that contains item variables (each item would pay a cache write)', () => {
    const system = `Rules for item 17. ${'Rules. '.repeat(1000)}`;
    const body = anthropicWire.buildBody({
      messages: [text('system', system), shared('user', 'x'.repeat(5000)), shared('assistant', 'ok'), text('user', 'Review: fine')],
      params: { model: 'claude-sonnet-4-5', extra: {} },
    });
    expect(JSON.stringify(body)).not.toContain('cache_control');
  });

  it('never marks few-shot turns that contain item variables', () => {
    const body = anthropicWire.buildBody({
      messages: [shared('system', 'Classify.'), text('user', 'An example about item 17. '.repeat(300)), shared('assistant', 'positive'), text('user', 'Review: awful')],
      params: { model: 'claude-sonnet-4-5', extra: {} },
    });
    expect(JSON.stringify(body)).not.toContain('cache_control');
  });

  it('sends a non-object schema root wrapped, with an object input_schema', () => {
    const body = anthropicWire.buildBody({
      messages: [text('user', 'Sentiment?')],
      params: { model: 'claude-sonnet-4-5', extra: {}, schema: toOutputSchema({ type: 'string', enum: ['positive', 'negative'] }) },
    }) as { tools: Array<{ input_schema: Record<string, unknown> }> };
    expect(body.tools[0].input_schema).toEqual({
      type: 'object',
      properties: { value: { type: 'string', enum: ['positive', 'negative'] } },
      required: ['value'],
      additionalProperties: false,
    });
  });

  it('leaves a short system prompt unmarked', () => {
    const body = anthropicWire.buildBody({ messages: [text('system', 'Be brief.'), text('user', 'hi')], params: { model: 'claude-sonnet-4-5', extra: {} } });
    expect(body.system).toBe('Be brief.');
  });
});

describe('anthropicWire response', () => {
  it('parses text; input_tokens excludes the cache, so cache reads are added back', () => {
    expect(anthropicWire.parseCompletion(loadFixture('provider-anthropic-message-response.json'))).toEqual({
      text: 'positive',
      finishReason: 'end_turn',
      truncated: false,
      model: 'claude-haiku-4-5-20251001',
      usage: { inputTokens: 21 + 4200, outputTokens: 5, cachedInputTokens: 4200, cacheWriteTokens: 0, reasoningTokens: 0 },
    });
  });

  it('returns a forced tool’s input as JSON text; cache writes count as input', () => {
    expect(anthropicWire.parseCompletion(loadFixture('provider-anthropic-tool-use-response.json'))).toEqual({
      text: '{"label":"positive","confidence":0.92}',
      finishReason: 'tool_use',
      truncated: false,
      model: 'claude-sonnet-4-5-20250929',
      usage: { inputTokens: 412 + 1500, outputTokens: 48, cachedInputTokens: 0, cacheWriteTokens: 1500, reasoningTokens: 0 },
    });
  });

  it('flags stop_reason max_tokens as truncated', () => {
    const completion = anthropicWire.parseCompletion(loadFixture('provider-anthropic-max-tokens-response.json'));
    expect(completion).toMatchObject({ finishReason: 'max_tokens', truncated: true, text: 'Here is a long summary that was cut' });
  });

  it('flags stop_reason model_context_window_exceeded as truncated too', () => {
    const completion = anthropicWire.parseCompletion({
      ...loadFixture<object>('provider-anthropic-max-tokens-response.json'),
      stop_reason: 'model_context_window_exceeded',
    });
    expect(completion).toMatchObject({ finishReason: 'model_context_window_exceeded', truncated: true });
  });

  it('reads stop_reason refusal as a refusal with the model’s text, never as an answer', () => {
    const completion = anthropicWire.parseCompletion({
      type: 'message',
      model: 'claude-sonnet-4-5',
      content: [{ type: 'text', text: 'I can’t help with that.' }],
      stop_reason: 'refusal',
      usage: { input_tokens: 10, output_tokens: 6 },
    });
    expect(completion).toMatchObject({ text: '', finishReason: 'refusal', refusal: 'I can’t help with that.' });
  });

  it('reports thinking tokens from output_tokens_details', () => {
    const completion = anthropicWire.parseCompletion({
      model: 'claude-sonnet-4-5',
      stop_reason: 'end_turn',
      content: [{ type: 'thinking', thinking: 'hmm', signature: 'x' }, { type: 'text', text: 'a' }],
      usage: { input_tokens: 1, output_tokens: 300, output_tokens_details: { thinking_tokens: 280 } },
    });
    expect(completion.usage).toMatchObject({ outputTokens: 300, reasoningTokens: 280 });
  });

  it('joins several text blocks and skips thinking blocks', () => {
    const completion = anthropicWire.parseCompletion({
      model: 'claude-sonnet-4-5',
      stop_reason: 'end_turn',
      content: [{ type: 'thinking', thinking: 'hmm', signature: 'x' }, { type: 'text', text: 'a' }, { type: 'text', text: 'b' }],
      usage: { input_tokens: 1, output_tokens: 2 },
    });
    expect(completion.text).toBe('ab');
  });

  it.each<[string, unknown]>([
    ['not an object', null],
    ['no content', { type: 'message', stop_reason: 'end_turn' }],
    ['an error body', { type: 'error', error: { type: 'api_error', message: 'Internal server error' } }],
    ['a tool_use without input', { content: [{ type: 'tool_use', name: 's' }], stop_reason: 'tool_use' }],
  ])('throws MalformedResponseError for %s', (_name, body) => {
    expect(() => anthropicWire.parseCompletion(body)).toThrow(MalformedResponseError);
  });
});
