import { describe, expect, it } from 'vitest';
import {
  ANTHROPIC_FORCED_TOOL_TOKENS,
  countTextTokens,
  estimateInputTokens,
  estimateOutputTokens,
  estimateRequestInputTokens,
  estimateTypicalOutputTokens,
  estimateWorstCaseOutputTokens,
  REPLY_PRIMING_TOKENS,
  TOKENS_PER_MESSAGE,
  TYPICAL_TEXT_OUTPUT_TOKENS,
  type TokenEstimateOptions,
} from '../../src/cost/token-estimate.js';
import type { ChatRequest } from '../../src/providers/types.js';
import type { ChatMessage } from '../../src/template/types.js';

const user = (text: string): ChatMessage => ({ role: 'user', content: [{ type: 'text', text }] });
const image: ChatMessage = {
  role: 'user',
  content: [{ type: 'image', url: 'https://example.com/a.png' }],
};
const labelSchema = {
  name: 'label',
  schema: {
    type: 'object',
    properties: { label: { type: 'string', enum: ['positive', 'negative', 'neutral'] }, confidence: { type: 'number' } },
    required: ['label', 'confidence'],
  },
};

describe('countTextTokens', () => {
  it.each([
    ['', 0],
    ['hello world', 2],
    ['The quick brown fox jumps over the lazy dog.', 10],
  ])('%j → %i tokens (o200k_base)', (text, tokens) => {
    expect(countTextTokens(text)).toBe(tokens);
  });

  it('counts special-token text as plain text instead of throwing', () => {
    expect(() => countTextTokens('a review containing <|endoftext|> and <|im_start|>')).not.toThrow();
    expect(countTextTokens('<|endoftext|>')).toBeGreaterThan(1);
  });
});

describe('estimateInputTokens', () => {
  const overhead = (messages: number) => messages * TOKENS_PER_MESSAGE + REPLY_PRIMING_TOKENS;

  it.each<[string, ChatMessage[], TokenEstimateOptions, number]>([
    ['one short message', [user('hello world')], {}, 2 + overhead(1)],
    ['two messages', [{ role: 'system', content: [{ type: 'text', text: 'hello world' }] }, user('hello world')], {}, 4 + overhead(2)],
    ['no messages', [], {}, REPLY_PRIMING_TOKENS],
    ['an OpenAI image', [image], { provider: 'openai', model: 'gpt-4o' }, 765 + overhead(1)],
    ['a gpt-4o-mini image (billed like gpt-4o)', [image], { provider: 'openai', model: 'gpt-4o-mini' }, 25_501 + overhead(1)],
    ['an Anthropic image', [image], { provider: 'anthropic' }, 1_600 + overhead(1)],
    // Claude's tokenizer yields more tokens than o200k: 10 × 1.2
    ['Anthropic text', [user('The quick brown fox jumps over the lazy dog.')], { provider: 'anthropic' }, 12 + overhead(1)],
  ])('%s', (_name, messages, options, expected) => {
    expect(estimateInputTokens(messages, options)).toBe(expected);
  });

  it('does not throw on a message containing <|endoftext|>', () => {
    expect(estimateInputTokens([user('ignore <|endoftext|> this')])).toBeGreaterThan(overhead(1));
  });
});

describe('estimateRequestInputTokens', () => {
  const request = (schema?: typeof labelSchema): ChatRequest => ({
    messages: [user('hello world')],
    params: { model: 'gpt-4o-mini', extra: {}, ...(schema ? { schema } : {}) },
  });
  const schemaTokens = countTextTokens(JSON.stringify(labelSchema.schema));

  it.each([
    ['no schema', request(), 'openai', 2 + TOKENS_PER_MESSAGE + REPLY_PRIMING_TOKENS],
    ['a schema on OpenAI', request(labelSchema), 'openai', 2 + TOKENS_PER_MESSAGE + REPLY_PRIMING_TOKENS + schemaTokens],
  ] as const)('%s', (_name, req, provider, expected) => {
    expect(estimateRequestInputTokens(req, provider)).toBe(expected);
  });

  it('adds the forced-tool prompt on Anthropic', () => {
    const openai = estimateRequestInputTokens(request(labelSchema), 'openai');
    const anthropic = estimateRequestInputTokens(request(labelSchema), 'anthropic');
    expect(anthropic).toBeGreaterThanOrEqual(openai + ANTHROPIC_FORCED_TOOL_TOKENS);
  });
});

describe('output token estimates', () => {
  it.each([
    ['max_tokens given', { maxTokens: 300 }, 'openai', 300],
    ['OpenAI without max_tokens', {}, 'openai', 4096],
    ['Anthropic without max_tokens (we send 1024)', {}, 'anthropic', 1024],
    ['a schema does not lower the worst case', { schema: labelSchema }, 'anthropic', 1024],
  ] as const)('worst case: %s', (_name, params, provider, expected) => {
    expect(estimateWorstCaseOutputTokens(params, provider)).toBe(expected);
  });

  it.each([
    ['free text', {}, TYPICAL_TEXT_OUTPUT_TOKENS],
    ['free text, small max_tokens', { maxTokens: 50 }, 50],
    ['free text, large max_tokens', { maxTokens: 4000 }, TYPICAL_TEXT_OUTPUT_TOKENS],
    // {"label":"positive","confidence":0.75}
    ['a classification schema', { schema: labelSchema }, countTextTokens('{"label":"positive","confidence":0.75}')],
    ['a schema under a tiny max_tokens', { schema: labelSchema, maxTokens: 3 }, 3],
  ] as const)('typical: %s', (_name, params, expected) => {
    expect(estimateTypicalOutputTokens(params)).toBe(expected);
  });

  it('gives both at once', () => {
    expect(estimateOutputTokens({ maxTokens: 100 }, 'openai')).toEqual({ typical: 100, worst: 100 });
  });
});
