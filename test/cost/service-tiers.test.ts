import { describe, expect, it } from 'vitest';
import type { ModelPrice } from '../../src/cost/prices.js';
import { priceForTier, requestedTier } from '../../src/cost/service-tiers.js';
import { priceOfServedTier } from '../../src/run/resolve-run-price.js';

const standard: ModelPrice = { inputPerMTok: 0.25, outputPerMTok: 2, cachedInputPerMTok: 0.025, cacheWritePerMTok: 0.25, batchDiscount: 0.5, source: 'genai-prices' };

describe('service tier prices', () => {
  it('flex is the batch price of the standard price', () => {
    expect(priceForTier(standard, 'flex', 'gpt-5-mini')).toMatchObject({ inputPerMTok: 0.125, outputPerMTok: 1, cachedInputPerMTok: 0.0125 });
  });

  it('priority comes from the priority table, dated snapshots included; unknown models have no priority price', () => {
    expect(priceForTier(standard, 'priority', 'gpt-5-mini')).toMatchObject({ inputPerMTok: 0.45, outputPerMTok: 3.6, cachedInputPerMTok: 0.045, source: 'builtin' });
    expect(priceForTier(standard, 'priority', 'gpt-4.1-2025-04-14')).toMatchObject({ inputPerMTok: 3.5, outputPerMTok: 14 });
    expect(priceForTier(standard, 'priority', 'o3-pro')).toBeNull();
    expect(priceForTier(standard, 'default', 'anything')).toBe(standard);
  });

  it('reads the requested tier from the request parameters', () => {
    expect(requestedTier({ service_tier: 'flex' })).toBe('flex');
    expect(requestedTier({ service_tier: 'auto' })).toBe('default');
    expect(requestedTier({})).toBe('default');
  });

  it('bills a request at the tier that served it', () => {
    const flex = priceForTier(standard, 'flex', 'gpt-5-mini');
    const prices = { standard, price: flex, tier: 'flex' as const };
    expect(priceOfServedTier(prices, 'flex')).toBe(flex);
    expect(priceOfServedTier(prices, 'default')).toBe(standard);
    expect(priceOfServedTier(prices, undefined)).toBe(flex);
  });
});
