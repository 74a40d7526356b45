/** What a finished request cost, from its normalised usage and the run's price. */

import type { RunMode } from '../journal/records.js';
import type { Usage } from '../providers/types.js';
import type { ModelPrice } from './prices.js';

/** Prices are quoted per this many tokens. */
export const TOKENS_PER_PRICE_UNIT = 1_000_000;

/**
 * Cost in USD of one request. `usage.inputTokens` already includes cache reads and cache writes, so only
 * the remainder is billed at the full input price; counting them twice would overcharge every cached
 * request. A gateway-reported cost wins: it knows its own markup and discounts.
 */
export function costOfUsage(usage: Usage, price: ModelPrice, mode: RunMode): number {
  if (usage.reportedCostUsd !== undefined && Number.isFinite(usage.reportedCostUsd)) {
    return usage.reportedCostUsd;
  }
  // Clamped: a provider reporting more cache tokens than input tokens must not earn a refund.
  const uncachedInput = Math.max(0, usage.inputTokens - usage.cachedInputTokens - usage.cacheWriteTokens);
  const listCost =
    (uncachedInput * price.inputPerMTok +
      usage.cachedInputTokens * price.cachedInputPerMTok +
      usage.cacheWriteTokens * price.cacheWritePerMTok +
      usage.outputTokens * price.outputPerMTok) /
    TOKENS_PER_PRICE_UNIT;
  return mode === 'batch' ? listCost * price.batchDiscount : listCost;
}
