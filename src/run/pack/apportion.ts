/**
 * Sharing one packed request's tokens and cost among its items so the per-item figures add up exactly to
 * what was billed: integer shares by the largest-remainder method (the same rule parliaments use for seats).
 */
import type { Usage } from '../../providers/types.js';
import { mapTokens, TOKEN_KIND_NAMES, TOKEN_KINDS } from '../../usage/token-usage.js';

/** Costs are shared in pico-dollars, the precision `roundUsd` keeps in records. */
const PICO_PER_USD = 1e12;

/**
 * Split the integer `total` into integer parts proportional to `weights`, summing exactly to `total`.
 * Leftover units go to the largest fractional parts, earlier items first on ties. Without a positive
 * weight the split is even.
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  const count = weights.length;
  if (count === 0) return [];
  const clean = weights.map((w) => (Number.isFinite(w) && w > 0 ? w : 0));
  const sum = clean.reduce((a, b) => a + b, 0);
  const shares = sum > 0 ? clean : clean.map(() => 1);
  const shareSum = sum > 0 ? sum : count;
  const exact = shares.map((w) => (total * w) / shareSum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((value, index) => ({ index, remainder: value - Math.floor(value) }));
  byRemainder.sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of byRemainder) {
    if (left <= 0) break;
    parts[index] += 1;
    left -= 1;
  }
  return parts;
}

/**
 * Each item's share of a packed request's usage: input-side tokens by `inputWeights` (each item's share of
 * the prompt), output-side tokens evenly (answers in a pack are about the same size). A gateway-reported
 * cost is not copied into the shares; cost is shared by `apportionUsd`.
 */
export function apportionUsage(usage: Usage, inputWeights: readonly number[]): Usage[] {
  const even = inputWeights.map(() => 1);
  const shares = new Map(TOKEN_KIND_NAMES.map((kind) => [kind, apportion(usage[kind], TOKEN_KINDS[kind].side === 'input' ? inputWeights : even)]));
  return inputWeights.map((_, i) => mapTokens((kind) => shares.get(kind)?.[i] ?? 0));
}

/** Split a cost in USD by `weights` (null stays null: an unknown price is never a fake 0). */
export function apportionUsd(costUsd: number | null, weights: readonly number[]): Array<number | null> {
  if (costUsd === null) return weights.map(() => null);
  return apportion(Math.round(costUsd * PICO_PER_USD), weights).map((pico) => pico / PICO_PER_USD);
}
