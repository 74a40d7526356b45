/**
 * "Did you mean": the known model names closest to one the provider does not serve, from the price
 * catalogue `llm-batch models` lists. Used when a 404 model_not_found stops a run.
 */
import { listCatalogueModels } from '../cost/genai-prices-lookup.js';
import type { ProviderId } from './types.js';

/** How many names a message offers. */
const SUGGESTIONS = 3;

/** The message for a model this key cannot use: which model, the closest known names, and what to do. */
export function describeMissingModel(provider: ProviderId, model: string, providerMessage: string): string {
  const known = provider === 'mock' ? [] : listCatalogueModels(provider);
  const closest = closestNames(model, known, SUGGESTIONS);
  const hint = closest.length > 0 ? `; closest known names: ${closest.join(', ')} (llm-batch models lists them all)` : '';
  return `the model "${model}" does not exist or this API key cannot use it${hint} [${providerMessage}]`;
}

/**
 * Up to `count` names nearest to `name`: the longest shared beginning first (model names grow by suffix:
 * `claude-haiku-4-5` → `claude-haiku-4-5-20251001`), then the fewest edits (typos).
 */
export function closestNames(name: string, candidates: readonly string[], count: number): string[] {
  const target = name.slice(name.lastIndexOf('/') + 1).toLowerCase();
  return [...new Set(candidates)]
    .map((candidate) => {
      const lower = candidate.toLowerCase();
      return { candidate, shared: sharedPrefixLength(target, lower), distance: editDistance(target, lower) };
    })
    .sort((a, b) => b.shared - a.shared || a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, count)
    .map(({ candidate }) => candidate);
}

function sharedPrefixLength(a: string, b: string): number {
  let length = 0;
  while (length < a.length && length < b.length && a[length] === b[length]) length += 1;
  return length;
}

/** Levenshtein distance, one row at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
