/**
 * One model's price, resolved once per run from, in order of precedence: `--price-*` flags, a user price
 * file, our builtin table, the genai-prices catalogue (SPEC §10).
 */

import { UsageError } from '../errors.js';
import type { ProviderId } from '../providers/types.js';
import { lookupGenaiPrice } from './genai-prices-lookup.js';
import type { PriceFile } from './price-file.js';
import { BATCH_DISCOUNT, CACHE_WRITE_MULTIPLIER, findBuiltinPrice, type PriceEntry } from './price-table.js';

/** Where a resolved price came from (shown by `estimate` and `models`). */
export type PriceSource = 'genai-prices' | 'builtin' | 'price-file' | 'flags';

/** A complete price: USD per 1M tokens, every part filled in. */
export interface ModelPrice {
  inputPerMTok: number;
  outputPerMTok: number;
  /** Cache reads (OpenAI cached tokens, Anthropic `cache_read_input_tokens`). */
  cachedInputPerMTok: number;
  /** Anthropic `cache_creation_input_tokens`. */
  cacheWritePerMTok: number;
  /** Multiplier for batch mode (0.5 = half price). */
  batchDiscount: number;
  /** The most precedent source that contributed (flags on top of a table entry count as `flags`). */
  source: PriceSource;
}

/** `--price-input`, `--price-output`, `--price-cached-input`: USD per 1M tokens, any subset. */
export interface PriceFlags {
  input?: number;
  output?: number;
  cachedInput?: number;
}

/** What the user supplied on top of the shipped tables. */
export interface PriceOverrides {
  flags?: PriceFlags;
  /** A price file loaded with `loadPriceFile`. */
  priceFile?: PriceFile;
}

const FLAG_NAMES: Readonly<Record<keyof PriceFlags, string>> = {
  input: '--price-input',
  output: '--price-output',
  cachedInput: '--price-cached-input',
};

/**
 * The price for a model, or null when no source knows it (costs are then reported as unknown).
 * `baseUrl` lets a gateway's own list (OpenRouter, DeepSeek) win in the catalogue. Throws UsageError
 * for invalid flags, or flags that cannot make a price alone (no table entry and not both input and output).
 * Takes ~70–160 ms the first time the catalogue is consulted (loading it), ~0.2–9 ms per lookup after:
 * call once per run.
 */
export function resolvePrice(
  provider: ProviderId,
  model: string,
  overrides: PriceOverrides = {},
  baseUrl?: string,
): ModelPrice | null {
  const flags = validateFlags(overrides.flags ?? {});
  const hasFlags = Object.keys(flags).length > 0;
  const fromTable = findTablePrice(provider, model, overrides.priceFile, baseUrl);
  if (!hasFlags) return fromTable ? completePrice(fromTable.entry, provider, fromTable.source) : null;

  if (!fromTable && (flags.input === undefined || flags.output === undefined)) {
    const missing = (['input', 'output'] as const).filter((key) => flags[key] === undefined);
    throw new UsageError(
      `No known price for model "${model}": give ${missing.map((key) => FLAG_NAMES[key]).join(' and ')} too ` +
        `(USD per 1M tokens), or a price file`,
    );
  }
  const base: Partial<PriceEntry> = fromTable?.entry ?? {};
  const merged: PriceEntry = {
    ...base,
    input: flags.input ?? (base.input as number),
    output: flags.output ?? (base.output as number),
  };
  if (flags.cachedInput !== undefined) merged.cachedInput = flags.cachedInput;
  return completePrice(merged, provider, 'flags');
}

function findTablePrice(
  provider: ProviderId,
  model: string,
  priceFile: PriceFile | undefined,
  baseUrl: string | undefined,
): { entry: PriceEntry; source: Exclude<PriceSource, 'flags'> } | null {
  const fromFile = priceFile?.get(model);
  if (fromFile) return { entry: fromFile, source: 'price-file' };
  const builtin = findBuiltinPrice(provider, model);
  if (builtin) return { entry: builtin, source: 'builtin' };
  const catalogue = lookupGenaiPrice(provider, model, baseUrl);
  if (catalogue) return { entry: catalogue, source: 'genai-prices' };
  return null;
}

/**
 * Fill what a source left out: cache reads cost the input price (OpenAI models without a cached price
 * simply don't discount), cache writes cost the provider's multiple of input, the batch discount is the
 * provider's. When a flag overrides input, these defaults follow the new input price.
 */
function completePrice(entry: PriceEntry, provider: ProviderId, source: PriceSource): ModelPrice {
  return {
    inputPerMTok: entry.input,
    outputPerMTok: entry.output,
    cachedInputPerMTok: entry.cachedInput ?? entry.input,
    cacheWritePerMTok: entry.cacheWrite ?? entry.input * CACHE_WRITE_MULTIPLIER[provider],
    batchDiscount: entry.batchDiscount ?? BATCH_DISCOUNT[provider],
    source,
  };
}

function validateFlags(flags: PriceFlags): PriceFlags {
  const valid: PriceFlags = {};
  for (const key of Object.keys(FLAG_NAMES) as Array<keyof PriceFlags>) {
    const value = flags[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new UsageError(`Expected \`${FLAG_NAMES[key]}\` to be a price in USD per 1M tokens ≥ 0, got \`${String(value)}\``);
    }
    valid[key] = value;
  }
  return valid;
}
