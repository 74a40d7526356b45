/** Live cost projection for the progress display and summary (SPEC §10). Pure. */

import type { RunMode } from '../journal/records.js';
import type { ModelPrice } from './prices.js';

export interface ProjectionInput {
  /** Spent so far by this run, USD. */
  spentUsd: number;
  /** Items finished by this run (succeeded or failed, cache hits included: they are part of the mix). */
  itemsDone: number;
  /** Items this run will process; null when unknown (stdin). */
  itemsTotal: number | null;
  /** Sum of the pre-scan token estimates (input + typical output) of the finished items. */
  estimatedTokensDone?: number;
  /** Sum of the pre-scan token estimates of the items not finished yet. */
  estimatedTokensRemaining?: number;
}

/**
 * Spent plus the expected cost of the remaining items, or null while nothing is known (no total, nothing
 * finished, nothing spent). With token estimates, the rest is priced by its estimated tokens at the rate
 * observed so far — spent ÷ estimated-tokens-done, i.e. the cost per actual token times the actual/estimated
 * calibration — so long items left for last are not underestimated; otherwise by the average item.
 */
export function projectTotalCost(input: ProjectionInput): number | null {
  const { spentUsd, itemsDone, itemsTotal } = input;
  if (itemsTotal === null) return null;
  const itemsLeft = Math.max(0, itemsTotal - itemsDone);
  if (itemsLeft === 0) return spentUsd;
  if (itemsDone === 0) return null;
  const { estimatedTokensDone, estimatedTokensRemaining } = input;
  if (estimatedTokensDone !== undefined && estimatedTokensRemaining !== undefined && estimatedTokensDone > 0) {
    return spentUsd + (spentUsd / estimatedTokensDone) * estimatedTokensRemaining;
  }
  return spentUsd + (spentUsd / itemsDone) * itemsLeft;
}

/**
 * What the same requests would have cost in the other mode: batch when the run is realtime, realtime when
 * it is batch. Null without a price or when the discount makes the conversion meaningless.
 */
export function otherModeCost(spentUsd: number, mode: RunMode, price: ModelPrice | null): number | null {
  if (!price || !(price.batchDiscount > 0)) return null;
  return mode === 'realtime' ? spentUsd * price.batchDiscount : spentUsd / price.batchDiscount;
}
