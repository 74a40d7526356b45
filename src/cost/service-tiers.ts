/**
 * OpenAI's service tiers as price data. Flex processing is billed at Batch API rates (OpenAI's flex guide),
 * so its price is the standard price times the provider's batch discount. Priority processing has its own
 * list, which the genai-prices catalogue does not carry: the table below is OpenAI's pricing page
 * (platform.openai.com/docs/pricing, "Priority" tab, as of 2025-12), USD per 1M tokens.
 */
import type { PriceEntry } from './price-table.js';
import type { ModelPrice } from './prices.js';

/** `--service-tier`: the values OpenAI's `service_tier` takes that change what a request costs. */
export type ServiceTier = 'default' | 'flex' | 'priority';

export const SERVICE_TIERS: readonly ServiceTier[] = ['default', 'flex', 'priority'];

/** Priority-tier prices by model (a dated snapshot such as `gpt-4.1-2025-04-14` matches its family). */
export const PRIORITY_PRICES: Readonly<Record<string, PriceEntry>> = {
  'gpt-5.1': { input: 2.5, cachedInput: 0.25, output: 20 },
  'gpt-5': { input: 2.5, cachedInput: 0.25, output: 20 },
  'gpt-5-mini': { input: 0.45, cachedInput: 0.045, output: 3.6 },
  'gpt-4.1': { input: 3.5, cachedInput: 0.875, output: 14 },
  'gpt-4.1-mini': { input: 0.7, cachedInput: 0.175, output: 2.8 },
  'gpt-4.1-nano': { input: 0.2, cachedInput: 0.05, output: 0.8 },
  'gpt-4o': { input: 4.25, cachedInput: 2.125, output: 17 },
  'gpt-4o-mini': { input: 0.25, cachedInput: 0.125, output: 1 },
  o3: { input: 3.5, cachedInput: 0.875, output: 14 },
  'o4-mini': { input: 2, cachedInput: 0.5, output: 8 },
};

/** The tier a run asks for: `service_tier` among its request parameters (`--service-tier` or `--param`). */
export function requestedTier(extra: Readonly<Record<string, unknown>>): ServiceTier {
  const tier = extra.service_tier;
  return tier === 'flex' || tier === 'priority' ? tier : 'default';
}

/**
 * The price of `tier` given the standard price `base`; null when unknown (priority for a model outside the
 * table). Prices the user gives (`--price-*`, `--price-file`) are standard prices, like every other source.
 */
export function priceForTier(base: ModelPrice, tier: ServiceTier, model: string): ModelPrice | null {
  if (tier === 'default') return base;
  if (tier === 'flex') {
    const factor = base.batchDiscount;
    return {
      ...base,
      inputPerMTok: base.inputPerMTok * factor,
      outputPerMTok: base.outputPerMTok * factor,
      cachedInputPerMTok: base.cachedInputPerMTok * factor,
      cacheWritePerMTok: base.cacheWritePerMTok * factor,
    };
  }
  const entry = findPriorityPrice(model);
  if (entry === undefined) return null;
  return {
    ...base,
    inputPerMTok: entry.input,
    outputPerMTok: entry.output,
    cachedInputPerMTok: entry.cachedInput ?? entry.input,
    cacheWritePerMTok: entry.input,
    source: 'builtin',
  };
}

function findPriorityPrice(model: string): PriceEntry | undefined {
  const name = model.slice(model.lastIndexOf('/') + 1);
  const exact = PRIORITY_PRICES[name];
  if (exact !== undefined) return exact;
  const snapshot = /^(.+)-\d{4}-\d{2}-\d{2}$/.exec(name);
  return snapshot ? PRIORITY_PRICES[snapshot[1]] : undefined;
}
