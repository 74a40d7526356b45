import { describe, expect, it } from 'vitest';
import { capToMaxTokens, estimateTokens, IMAGE_TOKENS, lastUserText, mockAnswer, promptText } from '../../src/mock/answer.js';
import type { ChatRequest } from '../../src/providers/types.js';

function request(user: string, extra: Partial<ChatRequest['params']> = {}, system?: string): ChatRequest {
  const messages: ChatRequest['messages'] = [];
  if (system !== undefined) messages.push({ role: 'system', content: [{ type: 'text', text: system }] });
  messages.push({ role: 'user', content: [{ type: 'text', text: user }] });
  return { messages, params: { model: 'gpt-4o-mini', extra: {}, ...extra } };
}

describe('mockAnswer', () => {
  it('is deterministic: the same request gives the same answer', () => {
    const a = mockAnswer(request('Summarize: a stainless steel kettle with a 1.7 litre capacity'));
    const b = mockAnswer(request('Summarize: a stainless steel kettle with a 1.7 litre capacity'));
    expect(a).toEqual(b);
  });

  it('varies with the prompt', () => {
    const answers = new Set(Array.from({ length: 20 }, (_, i) => mockAnswer(request(`Summarize product number ${i}: widget-${i}`)).text));
    expect(answers.size).toBeGreaterThan(5);
  });

  it('picks one of the listed categories', () => {
    const categories = ['Electronics', 'Home & Kitchen', 'Books', 'Toys'];
    for (let i = 0; i < 30; i++) {
      const { text } = mockAnswer(request(`Classify product ${i} into one of: ${categories.join(', ')}.`));
      expect(categories).toContain(text);
    }
  });

  it('ignores model, temperature and whitespace differences that do not survive the wire', () => {
    const a = mockAnswer(request('Describe   the\n\nlamp', { model: 'a', temperature: 0 }, 'Be brief.'));
    const b = mockAnswer(request('Describe the lamp', { model: 'b', temperature: 1 }, 'Be brief.  '));
    expect(a).toEqual(b);
  });

  it('answers JSON when jsonOutput is set or the prompt asks for JSON', () => {
    expect(JSON.parse(mockAnswer(request('Describe the lamp', { jsonOutput: true })).text)).toHaveProperty('answer');
    expect(JSON.parse(mockAnswer(request('Describe the lamp. Respond in JSON.')).text)).toHaveProperty('answer');
    expect(() => JSON.parse(mockAnswer(request('Describe the lamp')).text)).toThrow();
  });

  it('answers with JSON that satisfies the schema, compact so the Anthropic tool input round-trips', () => {
    const schema = { type: 'object', properties: { category: { type: 'string', enum: ['a', 'b'] } }, required: ['category'] };
    const { text } = mockAnswer(request('Classify it', { schema: { name: 'out', schema } }));
    expect(['{"category":"a"}', '{"category":"b"}']).toContain(text);
    expect(JSON.stringify(JSON.parse(text))).toBe(text);
  });

  it('estimates tokens as characters / 4, at least 1, plus a constant per image', () => {
    expect(estimateTokens('')).toBe(1);
    expect(estimateTokens('abcd')).toBe(1);
    expect(estimateTokens('abcde')).toBe(2);
    const withImage: ChatRequest = {
      messages: [{ role: 'user', content: [{ type: 'text', text: 'abcdefgh' }, { type: 'image', url: 'https://x/y.png' }] }],
      params: { model: 'm', extra: {} },
    };
    const answer = mockAnswer(withImage);
    expect(answer.usage.inputTokens).toBe(2 + IMAGE_TOKENS);
    expect(answer.usage.outputTokens).toBe(estimateTokens(answer.text));
  });
});

describe('promptText and lastUserText', () => {
  it('normalises whitespace across messages and counts images', () => {
    const messages: ChatRequest['messages'] = [
      { role: 'system', content: [{ type: 'text', text: ' sys\n' }] },
      { role: 'user', content: [{ type: 'text', text: 'a\tb' }, { type: 'image', mediaType: 'image/png', base64: 'AA' }] },
    ];
    expect(promptText(messages)).toEqual({ text: 'sys a b', images: 1 });
  });

  it('takes the last user message, joining its text parts by newlines', () => {
    const messages: ChatRequest['messages'] = [
      { role: 'user', content: [{ type: 'text', text: 'first' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'reply' }] },
      { role: 'user', content: [{ type: 'text', text: 'x' }, { type: 'text', text: 'y' }] },
    ];
    expect(lastUserText(messages)).toBe('x\ny');
    expect(lastUserText([])).toBe('');
  });
});

describe('capToMaxTokens', () => {
  it('cuts long answers to the limit and flags them', () => {
    const answer = { text: 'x'.repeat(40), usage: { inputTokens: 3, outputTokens: 10 } };
    expect(capToMaxTokens(answer, 2)).toEqual({ text: 'xxxxxxxx', usage: { inputTokens: 3, outputTokens: 2 }, truncated: true });
    expect(capToMaxTokens(answer, 10).truncated).toBe(false);
    expect(capToMaxTokens(answer, undefined).truncated).toBe(false);
  });
});
