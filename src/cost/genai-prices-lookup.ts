/**
 * Adapter over `@pydantic/genai-prices`, the maintained price catalogue we ship. Translates its price
 * shape into our `PriceEntry`; knows nothing about flags or files.
 */

import { createRequire } from 'node:module';
import type { MatchLogic, PriceOptions } from '@pydantic/genai-prices';
import type { ProviderId } from '../providers/types.js';
import type { PriceEntry } from './price-table.js';
import { installedCatalogueVersion, loadCatalogueSnapshot, priceFromSnapshot, type CatalogueSnapshot } from './catalogue-snapshot.js';

type GenaiPrices = typeof import('@pydantic/genai-prices');

// The catalogue is ~0.5 MB of JS and costs ~70 ms to load (~110 ms as ESM); loading it lazily through
// the CJS build keeps `resolvePrice` synchronous and spares runs priced by flags, a price file or `mock`.
let genaiPrices: GenaiPrices | undefined;
const memo = new Map<string, PriceEntry | null>();

function loadGenaiPrices(): GenaiPrices {
  genaiPrices ??= createRequire(import.meta.url)('@pydantic/genai-prices') as GenaiPrices;
  return genaiPrices;
}

/**
 * The catalogue's price for a model, or null. Tried in order: the gateway matched by base URL (OpenRouter,
 * DeepSeek, Gemini's OpenAI endpoint have their own lists), the wire provider (`gpt-*` under openai,
 * `claude-*` under anthropic), then any provider (an OpenAI-compatible gateway serving `deepseek-chat`).
 * A `vendor/model` name that matches nowhere is retried without its vendor prefix.
 */
export function lookupGenaiPrice(provider: ProviderId, model: string, baseUrl?: string): PriceEntry | null {
  const memoKey = `${provider}\u0000${model}\u0000${baseUrl ?? ''}`;
  if (memo.has(memoKey)) return memo.get(memoKey) ?? null;
  const snapshot = loadCatalogueSnapshot();
  const found = (snapshot && priceFromSnapshot(snapshot, provider, model, baseUrl)) || findInCatalogue(provider, model, baseUrl);
  memo.set(memoKey, found);
  return found;
}

/**
 * Model ids the catalogue prices per token under a wire provider, for `llm-batch models`. Skips id
 * patterns that are not model names (`ft:gpt-4o` fine-tune prefixes) and models that cannot answer a
 * chat request (audio, images, embeddings…).
 */
export function listCatalogueModels(provider: Exclude<ProviderId, 'mock'>): string[] {
  const catalogue = loadGenaiPrices().findProvider({ providerId: provider });
  if (!catalogue) return [];
  return catalogue.models
    .filter((model) => !model.deprecated && isChatModelName(model.id))
    .map((model) => model.id)
    .filter((id) => lookupGenaiPrice(provider, id) !== null);
}

/**
 * The snapshot of the catalogue's time-independent answers (see `catalogue-snapshot.ts`), for the build:
 * every catalogue model of the wire providers, under its id and each name its match rule states exactly,
 * priced as {@link lookupGenaiPrice} would price it without a base URL.
 */
export async function takeCatalogueSnapshot(providers: ReadonlyArray<Exclude<ProviderId, 'mock'>>): Promise<CatalogueSnapshot> {
  const catalogue = loadGenaiPrices();
  const prices: CatalogueSnapshot['prices'] = {};
  const apiPatterns: CatalogueSnapshot['apiPatterns'] = [];
  for (const id of providers) {
    const listed = catalogue.findProvider({ providerId: id });
    if (!listed) continue;
    const entries: Record<string, PriceEntry> = {};
    for (const model of listed.models) {
      for (const name of new Set([model.id, ...exactNames(model.match)].map((n) => n.toLowerCase().trim()))) {
        const result = catalogue.calcPrice({ input_tokens: 0, output_tokens: 0 }, name, { providerId: id });
        // Date or time-of-day variants depend on when the run happens: those stay with the catalogue.
        if (!result || Array.isArray(result.model.prices)) continue;
        const entry = findInCatalogue(id, name);
        if (entry) entries[name] = entry;
      }
    }
    prices[id] = entries;
  }
  // The whole provider list (the data in force: the shipped catalogue, as we never fetch updates).
  for (const listed of (await catalogue.waitForUpdate()) ?? []) apiPatterns.push([listed.id, listed.api_pattern]);
  return { version: installedCatalogueVersion(), apiPatterns, prices };
}


function exactNames(match: MatchLogic): string[] {
  if ('equals' in match) return [match.equals];
  if ('or' in match) return match.or.flatMap(exactNames);
  return [];
}

/** Words in a model id that mark it as not usable for chat completions. */
const NON_CHAT_MODEL_WORDS = ['audio', 'realtime', 'transcribe', 'tts', 'image', 'search', 'embedding', 'moderation', 'computer-use'];

function isChatModelName(id: string): boolean {
  if (!/^[a-z0-9][a-z0-9.:-]*[a-z0-9]$/i.test(id) || id.startsWith('ft:') || id.includes('.ft-')) return false;
  return !NON_CHAT_MODEL_WORDS.some((word) => id.includes(word));
}

function findInCatalogue(provider: ProviderId, model: string, baseUrl?: string): PriceEntry | null {
  const attempts: PriceOptions[] = [];
  if (baseUrl) attempts.push({ providerApiUrl: baseUrl });
  if (provider !== 'mock') attempts.push({ providerId: provider });
  attempts.push({});
  const slash = model.lastIndexOf('/');
  const names = slash > 0 ? [model, model.slice(slash + 1)] : [model];
  for (const name of names) {
    for (const options of attempts) {
      const entry = priceFromCatalogue(name, options);
      if (entry) return entry;
    }
  }
  return null;
}

function priceFromCatalogue(model: string, options: PriceOptions): PriceEntry | null {
  let modelPrice: Record<string, unknown>;
  try {
    // calcPrice picks the price in force now among date- and time-of-day-constrained variants
    // (DeepSeek's off-peak hours, o3's June 2025 cut); we only keep the rates, not its total.
    const result = loadGenaiPrices().calcPrice({ input_tokens: 0, output_tokens: 0 }, model, options);
    if (!result) return null;
    modelPrice = result.model_price;
  } catch {
    // A catalogue entry that cannot be priced (inconsistent units) is as good as no entry.
    return null;
  }
  const input = baseRate(modelPrice.input_mtok);
  const output = baseRate(modelPrice.output_mtok);
  if (input === undefined || output === undefined) return null;
  const entry: PriceEntry = { input, output };
  const cachedInput = baseRate(modelPrice.cache_read_mtok);
  const cacheWrite = baseRate(modelPrice.cache_write_mtok);
  if (cachedInput !== undefined) entry.cachedInput = cachedInput;
  if (cacheWrite !== undefined) entry.cacheWrite = cacheWrite;
  return entry;
}

/**
 * A rate as a plain number. Tiered prices (`{ base, tiers }`, e.g. Claude Sonnet above 200k input tokens)
 * yield their base tier: batch items are short prompts, far below the thresholds.
 */
function baseRate(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'object' && value !== null && 'base' in value) {
    const base = (value as { base: unknown }).base;
    if (typeof base === 'number' && Number.isFinite(base)) return base;
  }
  return undefined;
}
