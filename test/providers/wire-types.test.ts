/**
 * The official SDK types are the contract (`npm run typecheck`, run by CI): each `@ts-expect-error` below
 * is a field or value the provider does not have. Should the SDK ever accept one, the directive itself
 * fails the typecheck, and so does any request builder that writes such a field.
 */
import { describe, expect, it } from 'vitest';
import type { AnthropicMessagesBody } from '../../src/providers/anthropic-wire.js';
import type { OpenAiChatBody } from '../../src/providers/openai-wire.js';
import type { AnthropicParam, OpenAiParam, Route } from '../../src/providers/param-table.js';
import type { AnthropicImageType } from '../../src/providers/image-types.js';

describe('request types come from the official SDKs', () => {
  it('rejects fields and values the providers lack at typecheck time', () => {
    const openai: OpenAiChatBody = {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
      // @ts-expect-error OpenAI Chat Completions has no top_k (issue 18: topK reached OpenAI as top_k).
      top_k: 40,
    };
    const anthropic: AnthropicMessagesBody = {
      model: 'claude-haiku-4-5',
      max_tokens: 16,
      messages: [{ role: 'user', content: 'hi' }],
      // @ts-expect-error Anthropic wants stop_sequences (issue 18: stopSequences reached Anthropic as stop).
      stop: ['\n'],
    };
    // @ts-expect-error the parameter table cannot route a Dotprompt key to a wire name OpenAI lacks.
    const badRoute: Route<OpenAiParam> = { send: 'top_k' };
    const goodRoute: Route<AnthropicParam> = { send: 'top_k' };
    // @ts-expect-error Anthropic accepts jpeg, png, gif and webp images only.
    const svg: AnthropicImageType = 'image/svg+xml';
    expect([openai.model, anthropic.model, badRoute, goodRoute, svg]).toHaveLength(5);
  });
});
