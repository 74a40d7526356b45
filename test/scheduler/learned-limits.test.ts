import { describe, expect, it } from 'vitest';
import { isRunningLow, limitsDiffer, limitsFromSnapshot } from '../../src/scheduler/learned-limits.js';
import type { RateLimitSnapshot } from '../../src/scheduler/rate-limit-headers.js';

describe('limitsFromSnapshot', () => {
  it.each<[string, RateLimitSnapshot, object]>([
    ['OpenAI', { source: 'openai', requests: { limit: 500 }, tokens: { limit: 200_000, resetMs: 30 } }, { rpm: 500, tpm: 200_000 }],
    [
      'Anthropic adds input and output limits (one bucket is charged both)',
      {
        source: 'anthropic',
        requests: { limit: 50 },
        tokens: { limit: 10_000 },
        inputTokens: { limit: 50_000 },
        outputTokens: { limit: 10_000 },
      },
      { rpm: 50, tpm: 60_000 },
    ],
    ['Anthropic without the split uses the combined limit', { source: 'anthropic', tokens: { limit: 40_000 } }, { tpm: 40_000 }],
    ['a daily window is not a rate', { source: 'openai', requests: { limit: 10_000, resetMs: 6 * 3_600_000 } }, {}],
    ['nothing', { source: 'openai' }, {}],
  ])('%s', (_name, snapshot, expected) => {
    expect(limitsFromSnapshot(snapshot)).toEqual(expected);
  });
});

describe('isRunningLow', () => {
  it.each<[string, RateLimitSnapshot, boolean]>([
    ['plenty left', { source: 'openai', requests: { limit: 500, remaining: 400 } }, false],
    ['requests at zero', { source: 'openai', requests: { limit: 500, remaining: 0 } }, true],
    ['tokens under 2%', { source: 'openai', tokens: { limit: 100_000, remaining: 1500 } }, true],
    ['output tokens exhausted', { source: 'anthropic', outputTokens: { limit: 10_000, remaining: 0 } }, true],
    ['remaining unknown', { source: 'openai', requests: { limit: 500 } }, false],
    ['daily window empty does not count', { source: 'openai', requests: { limit: 500, remaining: 0, resetMs: 3_600_000 } }, false],
  ])('%s', (_name, snapshot, expected) => {
    expect(isRunningLow(snapshot)).toBe(expected);
  });
});

describe('limitsDiffer', () => {
  it.each([
    [{}, {}, false],
    [{ rpm: 1 }, { rpm: 1 }, false],
    [{ rpm: 1 }, { rpm: 2 }, true],
    [{ rpm: 1 }, { rpm: 1, tpm: 5 }, true],
  ])('%j vs %j', (a, b, expected) => {
    expect(limitsDiffer(a, b)).toBe(expected);
  });
});
