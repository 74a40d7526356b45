import type { ProviderId } from '../providers/types.js';
import { closest } from '../suggest/closest.js';
import { listCatalogueModels } from './genai-prices-lookup.js';

/**
 * ` (did you mean "gpt-4o-mini"?)` for a model name one typo away from a known one, else ''. Looks among the
 * provider's models, or every provider's when it is not known yet.
 */
export function modelSuggestion(model: string, provider?: ProviderId): string {
  const providers = provider === undefined ? (['openai', 'anthropic'] as const) : provider === 'mock' ? [] : [provider];
  const candidates = providers.flatMap((id) => listCatalogueModels(id));
  const suggestion = closest(model, provider === undefined ? [...candidates, 'mock'] : candidates);
  return suggestion === undefined ? '' : ` (did you mean "${suggestion}"? \`llm-batch models\` lists them)`;
}
