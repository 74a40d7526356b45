import { describe, expect, it } from 'vitest';
import type { ModelPrice } from '../../src/cost/prices.js';
import { otherModeCost, projectTotalCost, type ProjectionInput } from '../../src/cost/projection.js';

const price: ModelPrice = {
  inputPerMTok: 1,
  outputPerMTok: 5,
  cachedInputPerMTok: 0.1,
  cacheWritePerMTok: 1.25,
  batchDiscount: 0.5,
  source: 'builtin',
};

describe('projectTotalCost', () => {
  it.each<[string, ProjectionInput, number | null]>([
    ['unknown total (stdin)', { spentUsd: 1, itemsDone: 10, itemsTotal: null }, null],
    ['nothing finished yet', { spentUsd: 0, itemsDone: 0, itemsTotal: 100 }, null],
    ['average item', { spentUsd: 2, itemsDone: 10, itemsTotal: 100 }, 20],
    ['all done', { spentUsd: 3, itemsDone: 100, itemsTotal: 100 }, 3],
    ['more done than planned (retries counted twice)', { spentUsd: 3, itemsDone: 120, itemsTotal: 100 }, 3],
    ['only cache hits so far', { spentUsd: 0, itemsDone: 5, itemsTotal: 10 }, 0],
    // 2 USD bought 1,000 estimated tokens; 9,000 remain → 18 more
    [
      'by estimated tokens: long items left for last',
      { spentUsd: 2, itemsDone: 10, itemsTotal: 20, estimatedTokensDone: 1_000, estimatedTokensRemaining: 9_000 },
      20,
    ],
    [
      'estimates known but nothing estimated done falls back to the average item',
      { spentUsd: 2, itemsDone: 10, itemsTotal: 20, estimatedTokensDone: 0, estimatedTokensRemaining: 9_000 },
      4,
    ],
  ])('%s', (_name, input, expected) => {
    const projected = projectTotalCost(input);
    if (expected === null) expect(projected).toBeNull();
    else expect(projected).toBeCloseTo(expected, 12);
  });
});

describe('otherModeCost', () => {
  it.each([
    [10, 'realtime', price, 5],
    [5, 'batch', price, 10],
    [0, 'realtime', price, 0],
    [10, 'realtime', null, null],
    [10, 'batch', { ...price, batchDiscount: 0 }, null],
  ] as const)('%s USD in %s mode', (spent, mode, modelPrice, expected) => {
    expect(otherModeCost(spent, mode, modelPrice)).toBe(expected);
  });
});
