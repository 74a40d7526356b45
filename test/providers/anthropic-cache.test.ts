import { describe, expect, it } from 'vitest';
import type { TextBlockParam } from '@anthropic-ai/sdk/resources/messages';
import {
  type AnthropicMessage,
  estimateTokensFromChars,
  markPromptCache,
  minCacheableTokens,
} from '../../src/providers/anthropic-cache.js';

const block = (text: string): TextBlockParam => ({ type: 'text', text });
/** Few-shot turns from the template text: the same for every item. */
const message = (role: 'user' | 'assistant', text: string, shared = true): AnthropicMessage => ({ role, content: [block(text)], shared });
/** Each character counts as one token, so lengths read as token counts. */
const perChar = (text: string) => text.length;
const EPHEMERAL = { type: 'ephemeral' };

describe('minCacheableTokens', () => {
  it.each([
    ['claude-sonnet-4-5', 1024],
    ['claude-sonnet-4-5-20250929', 1024],
    ['claude-opus-4-1', 1024],
    ['claude-3-7-sonnet-latest', 1024],
    ['claude-3-5-haiku-latest', 2048],
    ['claude-3-haiku-20240307', 2048],
    ['claude-haiku-4-5', 4096],
    ['claude-opus-4-5', 4096],
    ['claude-sonnet-4-6', 2048],
  ])('%s → %d', (model, tokens) => {
    expect(minCacheableTokens(model)).toBe(tokens);
  });
});

describe('estimateTokensFromChars', () => {
  it('counts 3.5 characters per token, rounding up', () => {
    expect(estimateTokensFromChars('')).toBe(0);
    expect(estimateTokensFromChars('abcdefg')).toBe(2);
    expect(estimateTokensFromChars('x'.repeat(3584))).toBe(1024);
  });
});

describe('markPromptCache', () => {
  it('marks the last system block when the system prompt qualifies', () => {
    const result = markPromptCache([block('a'.repeat(600)), block('b'.repeat(500))], [message('user', 'hi')], 'claude-sonnet-4-5', perChar, true);
    expect(result.system).toEqual([block('a'.repeat(600)), { ...block('b'.repeat(500)), cache_control: EPHEMERAL }]);
    expect(result.messages).toEqual([message('user', 'hi')]);
  });

  it('leaves a system prompt below the model’s minimum alone', () => {
    const result = markPromptCache([block('a'.repeat(1023))], [message('user', 'hi')], 'claude-sonnet-4-5', perChar, true);
    expect(result.system[0].cache_control).toBeUndefined();
  });

  it('uses the higher minimum for Haiku', () => {
    expect(markPromptCache([block('a'.repeat(1500))], [], 'claude-3-5-haiku-latest', perChar, true).system[0].cache_control).toBeUndefined();
    expect(markPromptCache([block('a'.repeat(2048))], [], 'claude-3-5-haiku-latest', perChar, true).system[0].cache_control).toEqual(EPHEMERAL);
  });

  it('marks the last block before the final user message when the prefix qualifies', () => {
    const messages = [message('user', 'x'.repeat(700)), message('assistant', 'y'.repeat(300)), message('user', 'now')];
    const result = markPromptCache([block('s'.repeat(100))], messages, 'claude-sonnet-4-5', perChar, true);
    expect(result.system[0].cache_control).toBeUndefined();
    expect(result.messages[1].content).toEqual([{ ...block('y'.repeat(300)), cache_control: EPHEMERAL }]);
    expect(result.messages[2]).toEqual(message('user', 'now'));
  });

  it('marks both breakpoints when both qualify', () => {
    const messages = [message('user', 'x'.repeat(10)), message('assistant', 'y'), message('user', 'now')];
    const result = markPromptCache([block('s'.repeat(2000))], messages, 'claude-sonnet-4-5', perChar, true);
    expect(result.system[0].cache_control).toEqual(EPHEMERAL);
    expect(result.messages[1].content[0].cache_control).toEqual(EPHEMERAL);
  });

  it('does not mark a single-message prompt’s user turn', () => {
    const result = markPromptCache([], [message('user', 'x'.repeat(5000))], 'claude-sonnet-4-5', perChar, true);
    expect(result.messages[0].content[0].cache_control).toBeUndefined();
  });

  it('does not mutate its inputs', () => {
    const system = [block('s'.repeat(2000))];
    const messages = [message('user', 'x'), message('assistant', 'y'), message('user', 'z')];
    const before = structuredClone({ system, messages });
    markPromptCache(system, messages, 'claude-sonnet-4-5', perChar, true);
    expect({ system, messages }).toEqual(before);
  });

  it('never marks a system prompt that varies per item, however long', () => {
    const result = markPromptCache([block('a'.repeat(5000))], [message('user', 'hi')], 'claude-sonnet-4-5', perChar, false);
    expect(result.system[0].cache_control).toBeUndefined();
  });

  it('never marks few-shot turns behind a varying system prompt or containing item variables', () => {
    const shots = [message('user', 'x'.repeat(3000)), message('assistant', 'y'), message('user', 'now', false)];
    const behindVarying = markPromptCache([block('s')], shots, 'claude-sonnet-4-5', perChar, false);
    expect(behindVarying.messages.flatMap((m) => m.content).some((b) => b.cache_control !== undefined)).toBe(false);
    const varyingShot = [message('user', 'x'.repeat(3000), false), message('assistant', 'y'), message('user', 'now', false)];
    const result = markPromptCache([], varyingShot, 'claude-sonnet-4-5', perChar, false);
    expect(result.messages.flatMap((m) => m.content).some((b) => b.cache_control !== undefined)).toBe(false);
  });
});
