/**
 * Price knowledge that is ours rather than genai-prices': the discounts, the defaults for missing cache
 * prices and the models genai-prices cannot know about. All amounts are USD per 1M tokens.
 */

import type { ProviderId } from '../providers/types.js';

/** A price as a source states it; parts a source does not know are left out and defaulted later. */
export interface PriceEntry {
  input: number;
  output: number;
  cachedInput?: number;
  cacheWrite?: number;
  /** Multiplier applied in batch mode (0.5 = half price). */
  batchDiscount?: number;
}

/** Every provider's Batch API costs half the realtime price for input and output alike. */
export const BATCH_DISCOUNT: Readonly<Record<ProviderId, number>> = {
  openai: 0.5,
  anthropic: 0.5,
  azure: 0.5,
  mock: 0.5,
};

/**
 * Cache-write price as a multiple of the input price when a source gives none. Anthropic charges 1.25×
 * for its 5-minute cache; OpenAI caches automatically and bills writes as ordinary input.
 */
export const CACHE_WRITE_MULTIPLIER: Readonly<Record<ProviderId, number>> = {
  openai: 1,
  anthropic: 1.25,
  azure: 1,
  mock: 1,
};

/** Matches every model of a provider in `BUILTIN_PRICES`. */
export const ANY_MODEL = '*';

/** Models we price ourselves. `mock` is priced like gpt-4o-mini, so a demo run shows realistic costs. */
export const BUILTIN_PRICES: ReadonlyArray<{ provider: ProviderId; model: string; price: PriceEntry }> = [
  { provider: 'mock', model: ANY_MODEL, price: { input: 0.15, output: 0.6, cachedInput: 0.075 } },
];

/** The builtin entry for a model, if we price it ourselves. */
export function findBuiltinPrice(provider: ProviderId, model: string): PriceEntry | null {
  const hit = BUILTIN_PRICES.find(
    (row) => row.provider === provider && (row.model === model || row.model === ANY_MODEL),
  );
  return hit?.price ?? null;
}
