import { describe, expect, it } from 'vitest';
import { worstCaseCost } from '../../src/cost/budget-ledger.js';
import { addEstimateItem, createEstimateTotals, summarizeEstimate } from '../../src/cost/estimate-summary.js';
import type { ModelPrice } from '../../src/cost/prices.js';

const price: ModelPrice = {
  inputPerMTok: 1,
  outputPerMTok: 5,
  cachedInputPerMTok: 0.1,
  cacheWritePerMTok: 1.25,
  batchDiscount: 0.5,
  source: 'builtin',
};

function totalsOf(items: Array<[number, number, number, boolean?]>) {
  const totals = createEstimateTotals();
  for (const [inputTokens, outputTokensTypical, outputTokensWorst, cacheHit] of items) {
    addEstimateItem(totals, { inputTokens, outputTokensTypical, outputTokensWorst, cacheHit });
  }
  return totals;
}

describe('estimate summary', () => {
  const totals = totalsOf([
    [1_000, 100, 1_024],
    [2_000, 100, 1_024],
    [3_000, 100, 1_024, true],
  ]);

  it('accumulates tokens and cache hits', () => {
    expect(totals).toEqual({
      items: 3,
      inputTokens: 6_000,
      outputTokensTypical: 300,
      outputTokensWorst: 3_072,
      cacheHitItems: 1,
      cacheHitInputTokens: 3_000,
      cacheHitOutputTokens: 100,
    });
  });

  it('prices realtime, batch, with the cache and the worst case', () => {
    const summary = summarizeEstimate({ ...totals, price });
    // (6000 × 1 + 300 × 5) / 1M
    expect(summary.costRealtimeUsd).toBeCloseTo(0.0075, 12);
    expect(summary.costBatchUsd).toBeCloseTo(0.00375, 12);
    // the cached item is free: (3000 × 1 + 200 × 5) / 1M
    expect(summary.costWithCacheUsd).toBeCloseTo(0.004, 12);
    expect(summary.worstCaseUsd).toBeCloseTo(worstCaseCost(2_000, 1_024, price, 'realtime') * 3, 12);
    expect(summary).toMatchObject({ items: 3, inputTokens: 6_000, outputTokens: 300, outputTokensWorst: 3_072, cacheHitItems: 1 });
  });

  it('prices the cached and worst-case figures in the planned mode', () => {
    const summary = summarizeEstimate({ ...totals, price, mode: 'batch' });
    expect(summary.costRealtimeUsd).toBeCloseTo(0.0075, 12);
    expect(summary.costWithCacheUsd).toBeCloseTo(0.002, 12);
    expect(summary.worstCaseUsd).toBeCloseTo(worstCaseCost(2_000, 1_024, price, 'batch') * 3, 12);
  });

  it('reports tokens but no costs when the price is unknown', () => {
    expect(summarizeEstimate({ ...totals, price: null })).toMatchObject({
      items: 3,
      inputTokens: 6_000,
      costRealtimeUsd: null,
      costBatchUsd: null,
      costWithCacheUsd: null,
      worstCaseUsd: null,
    });
  });

  it('summarises an empty input as zero', () => {
    expect(summarizeEstimate({ ...createEstimateTotals(), price })).toMatchObject({
      items: 0,
      costRealtimeUsd: 0,
      costWithCacheUsd: 0,
      worstCaseUsd: 0,
    });
  });
});
