import { describe, expect, it } from 'vitest';
import { costOfUsage } from '../../src/cost/cost-of-usage.js';
import type { ModelPrice } from '../../src/cost/prices.js';
import type { Usage } from '../../src/providers/types.js';

const gpt4oMini: ModelPrice = {
  inputPerMTok: 0.15,
  outputPerMTok: 0.6,
  cachedInputPerMTok: 0.075,
  cacheWritePerMTok: 0.15,
  batchDiscount: 0.5,
  source: 'builtin',
};
const sonnet: ModelPrice = {
  inputPerMTok: 3,
  outputPerMTok: 15,
  cachedInputPerMTok: 0.3,
  cacheWritePerMTok: 3.75,
  batchDiscount: 0.5,
  source: 'builtin',
};

// OpenAI: prompt_tokens 2006 (prompt_tokens_details.cached_tokens 1920), completion_tokens 300
// (completion_tokens_details.reasoning_tokens 192) — prompt_tokens already includes the cached ones.
const openaiUsage: Usage = {
  inputTokens: 2006,
  cachedInputTokens: 1920,
  cacheWriteTokens: 0,
  outputTokens: 300,
  reasoningTokens: 192,
};
// Anthropic: input_tokens 50, cache_read_input_tokens 10000, cache_creation_input_tokens 2000 — the
// adapter sums them into inputTokens 12050, since Anthropic's input_tokens excludes both cache tiers.
const anthropicUsage: Usage = {
  inputTokens: 12050,
  cachedInputTokens: 10000,
  cacheWriteTokens: 2000,
  outputTokens: 500,
  reasoningTokens: 0,
};
const zero: Usage = { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 };

describe('costOfUsage', () => {
  it.each([
    // (86 × 0.15 + 1920 × 0.075 + 300 × 0.6) / 1M
    ['OpenAI with cached tokens', openaiUsage, gpt4oMini, 'realtime', 0.0003369],
    // (50 × 3 + 10000 × 0.3 + 2000 × 3.75 + 500 × 15) / 1M
    ['Anthropic with cache read and write', anthropicUsage, sonnet, 'realtime', 0.01815],
    ['OpenAI in batch mode', openaiUsage, gpt4oMini, 'batch', 0.00016845],
    ['Anthropic in batch mode', anthropicUsage, sonnet, 'batch', 0.009075],
    ['gateway-reported cost', { ...openaiUsage, reportedCostUsd: 0.0042 }, gpt4oMini, 'realtime', 0.0042],
    ['gateway-reported cost, batch', { ...openaiUsage, reportedCostUsd: 0.0042 }, gpt4oMini, 'batch', 0.0042],
    ['zero usage', zero, sonnet, 'realtime', 0],
    ['plain input and output', { ...zero, inputTokens: 1_000_000, outputTokens: 1_000_000 }, sonnet, 'realtime', 18],
    ['more cache than input (bad data) is not a refund', { ...zero, inputTokens: 10, cachedInputTokens: 20 }, sonnet, 'realtime', 0.000006],
  ] as const)('%s', (_name, usage, price, mode, expected) => {
    expect(costOfUsage(usage, price, mode)).toBeCloseTo(expected, 12);
  });

  it('would cost more if cached input were also billed as input (double counting)', () => {
    const doubleCountedOpenai =
      (openaiUsage.inputTokens * 0.15 + openaiUsage.cachedInputTokens * 0.075 + openaiUsage.outputTokens * 0.6) / 1e6;
    expect(doubleCountedOpenai).toBeCloseTo(0.0006249, 12);
    expect(costOfUsage(openaiUsage, gpt4oMini, 'realtime')).not.toBeCloseTo(doubleCountedOpenai, 6);

    const doubleCountedAnthropic = (12050 * 3 + 10000 * 0.3 + 2000 * 3.75 + 500 * 15) / 1e6;
    expect(doubleCountedAnthropic).toBeCloseTo(0.05415, 12);
    expect(costOfUsage(anthropicUsage, sonnet, 'realtime')).not.toBeCloseTo(doubleCountedAnthropic, 6);
  });

  it('does not bill reasoning tokens on top of output tokens', () => {
    const withoutReasoning = costOfUsage({ ...openaiUsage, reasoningTokens: 0 }, gpt4oMini, 'realtime');
    expect(costOfUsage(openaiUsage, gpt4oMini, 'realtime')).toBe(withoutReasoning);
  });
});
