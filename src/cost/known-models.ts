import type { ProviderId } from '../providers/types.js';
import { listCatalogueModels } from './genai-prices-lookup.js';
import { resolvePrice, type ModelPrice } from './prices.js';

export interface KnownModel {
  provider: ProviderId;
  model: string;
  price: ModelPrice;
}

/** Providers whose wire protocol llm-batch speaks, as the catalogue names them. */
const CATALOGUE_PROVIDERS = ['openai', 'anthropic'] as const;

/**
 * Every model `llm-batch models` lists: the mock model, then the catalogue's OpenAI and Anthropic chat
 * models, each priced exactly as a run would price it (so the table never disagrees with a run).
 */
export function listKnownModels(): KnownModel[] {
  const models: KnownModel[] = [];
  const add = (provider: ProviderId, model: string) => {
    const price = resolvePrice(provider, model);
    if (price) models.push({ provider, model, price });
  };
  add('mock', 'mock');
  for (const provider of CATALOGUE_PROVIDERS) {
    for (const id of listCatalogueModels(provider).sort()) add(provider, id);
  }
  return models;
}
