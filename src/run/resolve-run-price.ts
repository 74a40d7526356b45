import { loadPriceFile } from '../cost/price-file.js';
import { resolvePrice, type ModelPrice } from '../cost/prices.js';
import { modelSuggestion } from '../cost/suggest-model.js';
import { priceForTier, requestedTier, type ServiceTier } from '../cost/service-tiers.js';
import { UsageError } from '../errors.js';
import type { EventSink } from './events.js';
import type { RunConfig } from './run-config.js';

/** A run's prices: the standard one, and the one of the service tier it asks for. */
export interface RunPrices {
  /** The standard (default-tier) price; null when unknown. */
  standard: ModelPrice | null;
  /** The price of `tier`, what requests are reserved and billed at; null when unknown. */
  price: ModelPrice | null;
  tier: ServiceTier;
}

/**
 * The run's price, resolved once. An unknown price is a warning (costs are reported as unknown, never
 * as a fake zero) — except with --budget, which cannot be enforced without one.
 */
export async function resolveRunPrice(config: RunConfig, emit: EventSink): Promise<ModelPrice | null> {
  return (await resolveRunPrices(config, emit)).price;
}

/** {@link resolveRunPrice}, with the standard price beside the tier's (a flex request served on the default tier). */
export async function resolveRunPrices(config: RunConfig, emit: EventSink): Promise<RunPrices> {
  const priceFile = config.prices.file ? await loadPriceFile(config.prices.file) : undefined;
  const { input, output, cachedInput } = config.prices;
  const flags = {
    ...(input === undefined ? {} : { input }),
    ...(output === undefined ? {} : { output }),
    ...(cachedInput === undefined ? {} : { cachedInput }),
  };
  // Azure deployments are priced as the model they run (`--model-family`).
  const model = config.priceModel ?? config.params.model;
  const standard = resolvePrice(config.provider, model, { flags, priceFile }, config.baseUrl);
  const tier = requestedTier(config.params.extra);
  const price = standard && priceForTier(standard, tier, model);
  if (price) return { standard, price, tier };
  if (config.budgetUsd !== undefined) {
    throw new UsageError(`--budget needs a price, and there is none for model "${model}"${tierNote(tier, standard)}${modelSuggestion(model, config.provider)}`, [
      'give one with --price-input and --price-output (USD per 1M tokens), or --price-file <file>',
    ]);
  }
  emit({
    type: 'warning',
    message: `no price known for model "${model}"${tierNote(tier, standard)}${modelSuggestion(model, config.provider)}: costs will show as unknown (set --price-input and --price-output)`,
  });
  return { standard, price: null, tier };
}

function tierNote(tier: ServiceTier, standard: ModelPrice | null): string {
  return standard !== null && tier !== 'default' ? ` on the ${tier} tier` : '';
}

/**
 * The price a finished request is billed at: the tier that served it, as the provider reports it (a flex
 * request sent on the default tier after `--flex-fallback` costs the standard price).
 */
export function priceOfServedTier(prices: RunPrices, servedTier: string | undefined): ModelPrice | null {
  if (servedTier === 'default' && prices.tier !== 'default') return prices.standard;
  return prices.price;
}
