import { describe, expect, it } from 'vitest';
import {
  addTokens,
  fromStatusTokens,
  fromUsageRecord,
  toStatusTokens,
  tokensOf,
  toUsageRecord,
  zeroTokens,
} from '../../src/usage/token-usage.js';

const counts = { inputTokens: 100, outputTokens: 20, cachedInputTokens: 64, cacheWriteTokens: 8, reasoningTokens: 5 };

describe('token usage', () => {
  it('writes and reads the results file field names (SPEC §6) unchanged', () => {
    const record = toUsageRecord(counts);
    expect(record).toEqual({ input_tokens: 100, output_tokens: 20, cached_input_tokens: 64, cache_write_tokens: 8, reasoning_tokens: 5 });
    expect(fromUsageRecord(JSON.parse(JSON.stringify(record)))).toEqual(counts);
  });

  it('reads a missing or damaged usage as zeros', () => {
    expect(fromUsageRecord(undefined)).toEqual(zeroTokens());
    expect(fromUsageRecord({ input_tokens: 7, output_tokens: 'x' })).toEqual({ ...zeroTokens(), inputTokens: 7 });
  });

  it('keeps the status --json names', () => {
    const status = toStatusTokens(counts);
    expect(status).toEqual({ input: 100, output: 20, cachedInput: 64, cacheWrite: 8, reasoning: 5 });
    expect(fromStatusTokens(status)).toEqual(counts);
  });

  it('adds only token kinds, into the first argument', () => {
    const totals = { succeeded: 3, ...zeroTokens() };
    expect(addTokens(addTokens(totals, counts), { ...counts, reportedCostUsd: 1 } as typeof counts)).toBe(totals);
    expect(totals).toEqual({ succeeded: 3, inputTokens: 200, outputTokens: 40, cachedInputTokens: 128, cacheWriteTokens: 16, reasoningTokens: 10 });
    expect(tokensOf(totals)).toEqual({ inputTokens: 200, outputTokens: 40, cachedInputTokens: 128, cacheWriteTokens: 16, reasoningTokens: 10 });
  });
});
