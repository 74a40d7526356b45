/**
 * The numbers `llm-batch estimate` prints (SPEC §10): token totals accumulated item by item during the
 * scan, then priced once. Pure.
 */

import type { RunMode } from '../journal/records.js';
import { worstCaseCost } from './budget-ledger.js';
import { TOKENS_PER_PRICE_UNIT } from './cost-of-usage.js';
import type { ModelPrice } from './prices.js';

/** Running token totals over the scanned items. */
export interface EstimateTotals {
  items: number;
  inputTokens: number;
  outputTokensTypical: number;
  outputTokensWorst: number;
  /** Items already answered in the response cache: they would cost nothing. */
  cacheHitItems: number;
  cacheHitInputTokens: number;
  cacheHitOutputTokens: number;
}

/** One scanned item's estimates. */
export interface EstimateItem {
  inputTokens: number;
  outputTokensTypical: number;
  outputTokensWorst: number;
  /** The response cache already holds this exact request. */
  cacheHit?: boolean;
}

export interface EstimateSummary {
  items: number;
  inputTokens: number;
  /** Typical output tokens. */
  outputTokens: number;
  outputTokensWorst: number;
  cacheHitItems: number;
  /** Typical cost in realtime mode; null when the price is unknown. */
  costRealtimeUsd: number | null;
  /** Typical cost in batch mode. */
  costBatchUsd: number | null;
  /** Typical cost in realtime on OpenAI's flex tier (batch prices); absent for providers without one. */
  costFlexUsd?: number | null;
  /** Typical cost in the run's mode, leaving out items the response cache already answers. */
  costWithCacheUsd: number | null;
  /** Upper bound in the run's mode: padded input at full price plus max output (what --budget reserves). */
  worstCaseUsd: number | null;
}

/** Empty totals to accumulate into. */
export function createEstimateTotals(): EstimateTotals {
  return {
    items: 0,
    inputTokens: 0,
    outputTokensTypical: 0,
    outputTokensWorst: 0,
    cacheHitItems: 0,
    cacheHitInputTokens: 0,
    cacheHitOutputTokens: 0,
  };
}

/** Add one item; mutates `totals` so a million-item scan allocates nothing per item. */
export function addEstimateItem(totals: EstimateTotals, item: EstimateItem): void {
  totals.items += 1;
  totals.inputTokens += item.inputTokens;
  totals.outputTokensTypical += item.outputTokensTypical;
  totals.outputTokensWorst += item.outputTokensWorst;
  if (item.cacheHit) {
    totals.cacheHitItems += 1;
    totals.cacheHitInputTokens += item.inputTokens;
    totals.cacheHitOutputTokens += item.outputTokensTypical;
  }
}

export interface SummarizeEstimateInput extends EstimateTotals {
  price: ModelPrice | null;
  /** The mode of the planned run, for the cached and worst-case figures. @default 'realtime' */
  mode?: RunMode;
  /** The standard price, for the realtime and batch figures when `price` is another tier's. @default price */
  standardPrice?: ModelPrice | null;
  /** The flex-tier price, for a side-by-side flex figure (OpenAI and Azure). */
  flexPrice?: ModelPrice | null;
}

/**
 * Price the totals. Typical costs assume no provider prompt caching (it only lowers them); the worst case
 * is padded like a budget reservation, so it is what --budget would hold for the whole run.
 */
export function summarizeEstimate(input: SummarizeEstimateInput): EstimateSummary {
  const { price } = input;
  const mode = input.mode ?? 'realtime';
  const summary: EstimateSummary = {
    items: input.items,
    inputTokens: input.inputTokens,
    outputTokens: input.outputTokensTypical,
    outputTokensWorst: input.outputTokensWorst,
    cacheHitItems: input.cacheHitItems,
    costRealtimeUsd: null,
    costBatchUsd: null,
    costWithCacheUsd: null,
    worstCaseUsd: null,
  };
  const standard = input.standardPrice === undefined ? price : input.standardPrice;
  if (input.flexPrice !== undefined) {
    summary.costFlexUsd = input.flexPrice ? listCost(input.inputTokens, input.outputTokensTypical, input.flexPrice) : null;
  }
  if (standard) {
    summary.costRealtimeUsd = listCost(input.inputTokens, input.outputTokensTypical, standard);
    summary.costBatchUsd = summary.costRealtimeUsd * standard.batchDiscount;
  }
  if (!price) return summary;
  const modeFactor = mode === 'batch' ? price.batchDiscount : 1;
  const uncachedInput = input.inputTokens - input.cacheHitInputTokens;
  const uncachedOutput = input.outputTokensTypical - input.cacheHitOutputTokens;
  summary.costWithCacheUsd = listCost(uncachedInput, uncachedOutput, price) * modeFactor;
  summary.worstCaseUsd = worstCaseTotal(input, price, mode);
  return summary;
}

function listCost(inputTokens: number, outputTokens: number, price: ModelPrice): number {
  return (inputTokens * price.inputPerMTok + outputTokens * price.outputPerMTok) / TOKENS_PER_PRICE_UNIT;
}

/**
 * The padding is linear in tokens apart from its per-item rounding up, so pricing the average item and
 * multiplying matches the sum of per-item reservations to within one input token per item.
 */
function worstCaseTotal(totals: EstimateTotals, price: ModelPrice, mode: RunMode): number {
  if (totals.items === 0) return 0;
  const perItemInput = totals.inputTokens / totals.items;
  const perItemOutput = totals.outputTokensWorst / totals.items;
  return worstCaseCost(perItemInput, perItemOutput, price, mode) * totals.items;
}
