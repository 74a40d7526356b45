/**
 * Anthropic's prompt cache is opt-in: a `cache_control` marker ends a prefix (tools → system → messages)
 * that later requests can read at a tenth of the input price. A batch run repeats the same system prompt
 * and few-shot examples for every item, so marking them pays off from the second item on. Prefixes
 * shorter than the model's minimum are never cached, so we only mark those that qualify.
 */

import type { CacheControlEphemeral, ImageBlockParam, TextBlockParam } from '@anthropic-ai/sdk/resources/messages';

export const EPHEMERAL: CacheControlEphemeral = { type: 'ephemeral' };

/** The Anthropic content blocks llm-batch sends (official SDK types). */
export type AnthropicBlock = TextBlockParam | ImageBlockParam;

export interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: AnthropicBlock[];
  /** The same for every item (`ChatMessage.shared`): only such messages may end a cached prefix. */
  shared?: boolean;
}

/**
 * Smallest cacheable prefix per model family (Anthropic's prompt-caching docs), first match wins.
 * Newer Opus and Haiku models need more than their predecessors.
 */
const MIN_CACHEABLE_TOKENS: ReadonlyArray<readonly [RegExp, number]> = [
  [/opus-4-[5-9]|opus-4\.[5-9]/, 4096],
  [/haiku-4-[5-9]|haiku-4\.[5-9]/, 4096],
  [/sonnet-4-[6-9]|sonnet-4\.[6-9]/, 2048],
  [/haiku/, 2048],
];
const DEFAULT_MIN_CACHEABLE_TOKENS = 1024;

/**
 * Characters per token used for the estimate. English averages about 4; 3.5 errs towards over-counting
 * text a little, and images count as zero, so the estimate is rarely far off either way. A marker on a
 * prefix that turns out too short is simply ignored by the API.
 */
const CHARS_PER_TOKEN = 3.5;

/** Rough token count of a text, for deciding whether a prefix is long enough to cache. */
export function estimateTokensFromChars(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/** The minimum prefix length, in tokens, that `model` will cache. */
export function minCacheableTokens(model: string): number {
  return MIN_CACHEABLE_TOKENS.find(([pattern]) => pattern.test(model))?.[1] ?? DEFAULT_MIN_CACHEABLE_TOKENS;
}

/**
 * Mark the item-independent prefix for caching: the last system block when the whole system prompt is
 * shared (`systemShared`) and long enough, and, for multi-message prompts (few-shot examples), the last
 * block before the final user message when every message up to it (and the system prompt) is shared and
 * the prefix is long enough. A prefix that varies per item is never marked: each item would pay a cache
 * write (1.25× the input price) that no later request reads. Returns copies; the inputs are not mutated.
 */
export function markPromptCache(
  system: readonly TextBlockParam[],
  messages: readonly AnthropicMessage[],
  model: string,
  estimateTokens: (text: string) => number = estimateTokensFromChars,
  systemShared = false,
): { system: TextBlockParam[]; messages: AnthropicMessage[] } {
  const minimum = minCacheableTokens(model);
  const count = (blocks: readonly AnthropicBlock[]): number =>
    blocks.reduce((sum, block) => sum + (block.type === 'text' ? estimateTokens(block.text) : 0), 0);

  const systemTokens = count(system);
  const systemCacheable = system.length === 0 || systemShared;
  const markedSystem = systemShared && systemTokens >= minimum ? markLast(system) : [...system];

  const finalUser = messages.findLastIndex((message) => message.role === 'user');
  const markedMessages = [...messages];
  if (finalUser >= 1 && systemCacheable && messages.slice(0, finalUser).every((message) => message.shared === true)) {
    const prefixTokens = systemTokens + messages.slice(0, finalUser).reduce((sum, message) => sum + count(message.content), 0);
    const before = messages[finalUser - 1];
    if (prefixTokens >= minimum && before.content.length > 0) {
      markedMessages[finalUser - 1] = { ...before, content: markLast(before.content) };
    }
  }
  return { system: markedSystem, messages: markedMessages };
}

function markLast<B extends AnthropicBlock>(blocks: readonly B[]): B[] {
  return blocks.map((block, index) => (index === blocks.length - 1 ? { ...block, cache_control: EPHEMERAL } : block));
}
