/** How amounts of money are written in the UI and in messages. */
import { formatFixed } from '../ui/format-fixed.js';

/** Below a cent, a per-item cost would read `$0.00`: show significant digits instead. */
const CENT = 0.01;

/** Significant digits kept for sub-cent amounts: `$0.0012`, `$0.000034`. */
const SUB_CENT_SIGNIFICANT_DIGITS = 2;

/** Smaller amounts (a fraction of one token's price) print as an upper bound rather than as noise. */
const SMALLEST_SHOWN = 1e-9;

const WITH_CENTS = { format: (amount: number) => formatFixed(amount, 2) };

/**
 * `$1,234.57`, `$0.25`, `$0.0012`, `$0.00`, `-$0.50`. Cents for normal amounts, two significant digits
 * for tiny ones, so a run of cheap items never shows as free.
 */
export function formatUsd(amount: number): string {
  if (!Number.isFinite(amount)) return `$${amount}`;
  const sign = amount < 0 ? '-' : '';
  const magnitude = Math.abs(amount);
  if (magnitude === 0) return '$0.00';
  if (magnitude < SMALLEST_SHOWN) return sign ? `>-$${SMALLEST_SHOWN.toFixed(9)}` : `<$${SMALLEST_SHOWN.toFixed(9)}`;
  const subCent = magnitude < CENT ? formatSubCent(magnitude) : undefined;
  // 0.00999 rounds up to a cent: then it is a normal amount after all.
  if (subCent === undefined || Number(subCent) >= CENT) return `${sign}$${WITH_CENTS.format(magnitude)}`;
  return `${sign}$${subCent}`;
}

function formatSubCent(magnitude: number): string {
  const leadingZeros = -Math.floor(Math.log10(magnitude)) - 1;
  const fixed = magnitude.toFixed(leadingZeros + SUB_CENT_SIGNIFICANT_DIGITS);
  return fixed.replace(/0+$/, '');
}

/** Float sums leave noise like 0.000025799999999999997 in records; a pico-dollar is far below any price. */
export function roundUsd(usd: number): number;
export function roundUsd(usd: number | null): number | null;
export function roundUsd(usd: number | null): number | null {
  return usd === null ? null : Math.round(usd * 1e12) / 1e12;
}
