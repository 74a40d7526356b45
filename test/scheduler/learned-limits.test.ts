import { describe, expect, it } from 'vitest';
import { isExhausted, limitsDiffer, limitsFromSnapshot } from '../../src/scheduler/learned-limits.js';
import type { RateLimitSnapshot } from '../../src/scheduler/rate-limit-headers.js';

describe('limitsFromSnapshot', () => {
  it.each<[string, RateLimitSnapshot, object]>([
    ['OpenAI', { source: 'openai', requests: { limit: 500 }, tokens: { limit: 200_000, resetMs: 30 } }, { rpm: 500, tpm: 200_000 }],
    [
      'Anthropic keeps input and output limits apart (and ignores its "most restrictive" tokens figure)',
      {
        source: 'anthropic',
        requests: { limit: 50 },
        tokens: { limit: 10_000 },
        inputTokens: { limit: 50_000 },
        outputTokens: { limit: 10_000 },
      },
      { rpm: 50, inputTpm: 50_000, outputTpm: 10_000 },
    ],
    ['Anthropic without the split uses the combined limit', { source: 'anthropic', tokens: { limit: 40_000 } }, { tpm: 40_000 }],
    ['an OpenAI reset of 6m0s (its documented example) is still a per-minute limit', { source: 'openai', tokens: { limit: 150_000, remaining: 0, resetMs: 360_000 } }, { tpm: 150_000 }],
    ['nothing', { source: 'openai' }, {}],
  ])('%s', (_name, snapshot, expected) => {
    expect(limitsFromSnapshot(snapshot)).toEqual(expected);
  });
});

describe('isExhausted', () => {
  it.each<[string, RateLimitSnapshot, boolean]>([
    ['plenty left', { source: 'openai', requests: { limit: 500, remaining: 400 } }, false],
    ['requests at zero', { source: 'openai', requests: { limit: 500, remaining: 0 } }, true],
    ['tokens low but not out', { source: 'openai', tokens: { limit: 100_000, remaining: 1500 } }, false],
    ['output tokens exhausted', { source: 'anthropic', outputTokens: { limit: 10_000, remaining: 0 } }, true],
    ['remaining unknown', { source: 'openai', requests: { limit: 500 } }, false],
  ])('%s', (_name, snapshot, expected) => {
    expect(isExhausted(snapshot)).toBe(expected);
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
