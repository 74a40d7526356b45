/**
 * Anthropic's prompt cache is opt-in: a `cache_control` marker ends a prefix (tools → system → messages)
 * that later requests can read at a tenth of the input price. A batch run repeats the same system prompt
 * and few-shot examples for every item, so marking them pays off from the second item on. Prefixes
 * shorter than the model's minimum are never cached, so we only mark those that qualify.
 */

export const EPHEMERAL = { type: 'ephemeral' } as const;

/** The Anthropic content blocks this module looks at; other fields pass through untouched. */
export interface AnthropicBlock {
  type: string;
  text?: string;
  cache_control?: typeof EPHEMERAL;
  [key: string]: unknown;
}

export interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: AnthropicBlock[];
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
 * Mark the shared prefix for caching: the last system block when the system prompt qualifies, and, for
 * multi-message prompts (few-shot examples), the last block before the final user message when everything
 * up to it qualifies. Returns copies; the inputs are not mutated.
 */
export function markPromptCache(
  system: readonly AnthropicBlock[],
  messages: readonly AnthropicMessage[],
  model: string,
  estimateTokens: (text: string) => number = estimateTokensFromChars,
): { system: AnthropicBlock[]; messages: AnthropicMessage[] } {
  const minimum = minCacheableTokens(model);
  const count = (blocks: readonly AnthropicBlock[]): number =>
    blocks.reduce((sum, block) => sum + (typeof block.text === 'string' ? estimateTokens(block.text) : 0), 0);

  const systemTokens = count(system);
  const markedSystem = systemTokens >= minimum ? markLast(system) : [...system];

  const finalUser = messages.findLastIndex((message) => message.role === 'user');
  const markedMessages = [...messages];
  if (finalUser >= 1) {
    const prefixTokens = systemTokens + messages.slice(0, finalUser).reduce((sum, message) => sum + count(message.content), 0);
    const before = messages[finalUser - 1];
    if (prefixTokens >= minimum && before.content.length > 0) {
      markedMessages[finalUser - 1] = { ...before, content: markLast(before.content) };
    }
  }
  return { system: markedSystem, messages: markedMessages };
}

function markLast(blocks: readonly AnthropicBlock[]): AnthropicBlock[] {
  return blocks.map((block, index) => (index === blocks.length - 1 ? { ...block, cache_control: EPHEMERAL } : block));
}
