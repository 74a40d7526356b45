import { loadPriceFile } from '../cost/price-file.js';
import { resolvePrice, type ModelPrice } from '../cost/prices.js';
import { modelSuggestion } from '../cost/suggest-model.js';
import { UsageError } from '../errors.js';
import type { EventSink } from './events.js';
import type { RunConfig } from './run-config.js';

/**
 * The run's price, resolved once. An unknown price is a warning (costs are reported as unknown, never
 * as a fake zero) — except with --budget, which cannot be enforced without one.
 */
export async function resolveRunPrice(config: RunConfig, emit: EventSink): Promise<ModelPrice | null> {
  const priceFile = config.prices.file ? await loadPriceFile(config.prices.file) : undefined;
  const { input, output, cachedInput } = config.prices;
  const flags = {
    ...(input === undefined ? {} : { input }),
    ...(output === undefined ? {} : { output }),
    ...(cachedInput === undefined ? {} : { cachedInput }),
  };
  const price = resolvePrice(config.provider, config.params.model, { flags, priceFile }, config.baseUrl);
  if (price) return price;
  if (config.budgetUsd !== undefined) {
    throw new UsageError(`--budget needs a price, and there is none for model "${config.params.model}"${modelSuggestion(config.params.model, config.provider)}`, [
      'give one with --price-input and --price-output (USD per 1M tokens), or --price-file <file>',
    ]);
  }
  emit({
    type: 'warning',
    message: `no price known for model "${config.params.model}"${modelSuggestion(config.params.model, config.provider)}: costs will show as unknown (set --price-input and --price-output)`,
  });
  return null;
}
