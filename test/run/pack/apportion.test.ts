import { describe, expect, it } from 'vitest';
import { apportion, apportionUsage, apportionUsd } from '../../../src/run/pack/apportion.js';
import type { Usage } from '../../../src/providers/types.js';

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

describe('apportion', () => {
  it.each([
    { total: 10, weights: [1, 1], expected: [5, 5] },
    { total: 10, weights: [1, 1, 1], expected: [4, 3, 3] },
    { total: 7, weights: [1, 2, 4], expected: [1, 2, 4] },
    { total: 100, weights: [1, 2, 3], expected: [17, 33, 50] },
    { total: 1, weights: [1, 1, 1], expected: [1, 0, 0] },
    { total: 0, weights: [3, 5], expected: [0, 0] },
    { total: 9, weights: [0, 0, 0], expected: [3, 3, 3] },
    { total: 5, weights: [0, 1], expected: [0, 5] },
    { total: 5, weights: [-1, Number.NaN, 1], expected: [0, 0, 5] },
    { total: 12, weights: [], expected: [] },
  ])('$total by $weights → $expected', ({ total, weights, expected }) => {
    expect(apportion(total, weights)).toEqual(expected);
  });

  it('always sums exactly to the total, whatever the weights', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const weights = Array.from({ length: 1 + (seed % 17) }, (_, i) => ((seed * 7919 + i * 104729) % 997) / 7);
      const total = (seed * 1237) % 50_000;
      const parts = apportion(total, weights);
      expect(sum(parts)).toBe(total);
      for (const part of parts) expect(Number.isInteger(part) && part >= 0).toBe(true);
    }
  });
});

describe('apportionUsage', () => {
  const usage: Usage = { inputTokens: 1001, outputTokens: 303, cachedInputTokens: 500, cacheWriteTokens: 77, reasoningTokens: 11 };

  it('shares input-side tokens by weight and output-side tokens evenly, each summing to the total', () => {
    const shares = apportionUsage(usage, [100, 200, 700]);
    expect(shares.map((s) => s.outputTokens)).toEqual([101, 101, 101]);
    expect(shares.map((s) => s.inputTokens)).toEqual([100, 200, 701]);
    for (const key of ['inputTokens', 'outputTokens', 'cachedInputTokens', 'cacheWriteTokens', 'reasoningTokens'] as const) {
      expect(sum(shares.map((s) => s[key]))).toBe(usage[key]);
    }
  });

  it('does not copy a gateway-reported cost into the shares', () => {
    const shares = apportionUsage({ ...usage, reportedCostUsd: 0.5 }, [1, 1]);
    expect(shares.every((s) => s.reportedCostUsd === undefined)).toBe(true);
  });
});

describe('apportionUsd', () => {
  it.each([
    { cost: 0.001, weights: [1, 1, 1] },
    { cost: 0.000123456789, weights: [5, 1, 9, 2] },
    { cost: 12.5, weights: [1, 2] },
    { cost: 0, weights: [1, 1] },
  ])('splits $cost into pico-dollar shares that sum to it', ({ cost, weights }) => {
    const shares = apportionUsd(cost, weights) as number[];
    expect(shares).toHaveLength(weights.length);
    expect(sum(shares.map((s) => Math.round(s * 1e12)))).toBe(Math.round(cost * 1e12));
  });

  it('keeps an unknown price unknown', () => {
    expect(apportionUsd(null, [1, 2])).toEqual([null, null]);
  });
});
