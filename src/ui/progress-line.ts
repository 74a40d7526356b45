/**
 * The figures of a progress report, shared by the plain log line and the TTY bar so both say the same thing.
 */
import { formatUsd } from '../cost/money.js';
import type { RunTotals } from '../run/events.js';
import { formatClock, formatCount, formatDuration, formatPercent, formatRate } from './format.js';

/** Items finished either way: the progress numerator. */
export function countDone(totals: RunTotals): number {
  return totals.succeeded + totals.failed;
}

/** `1,234/5,000`, or `1,234 done` when the total is unknown (stdin). */
export function formatDoneOfTotal(totals: RunTotals): string {
  const done = formatCount(countDone(totals));
  return totals.total === null ? `${done} done` : `${done}/${formatCount(totals.total)}`;
}

/** Done over total as a fraction in 0..1; null when the total is unknown. */
export function progressFraction(totals: RunTotals): number | null {
  if (totals.total === null) return null;
  if (totals.total === 0) return 1;
  return Math.min(1, Math.max(0, countDone(totals) / totals.total));
}

/** `$0.12 → $0.49 of $5.00`; `cost unknown` when there is no price. */
export function formatMoney(totals: RunTotals): string {
  if (totals.spentUsd === null) {
    return totals.budgetUsd === null ? 'cost unknown' : `cost unknown, budget ${formatUsd(totals.budgetUsd)}`;
  }
  let text = formatUsd(totals.spentUsd);
  if (totals.projectedUsd !== null) text += ` → ${formatUsd(totals.projectedUsd)}`;
  if (totals.budgetUsd !== null) text += ` of ${formatUsd(totals.budgetUsd)}`;
  return text;
}

/** `eta 4m05s`, or null when there is nothing sensible to say. */
export function formatEta(totals: RunTotals): string | null {
  return totals.etaMs === null || totals.total === null ? null : `eta ${formatDuration(totals.etaMs)}`;
}

/**
 * The plain log line:
 * `[00:01:20] 1,234/5,000 (24.7%) 15.4 items/s eta 4m05s | $0.12 → $0.49 of $5.00 | cache 10 | retries 3 | failed 2`.
 * Every field is always present (except eta, dedup and paused) so the lines stay easy to grep and parse.
 */
export function formatProgressLine(totals: RunTotals): string {
  const fraction = progressFraction(totals);
  let head = `[${formatClock(totals.elapsedMs)}] ${formatDoneOfTotal(totals)}`;
  if (fraction !== null) head += ` (${formatPercent(fraction)})`;
  head += ` ${formatRate(totals.rate)} items/s`;
  const eta = formatEta(totals);
  if (eta !== null) head += ` ${eta}`;

  const fields = [head, formatMoney(totals), `cache ${formatCount(totals.cacheHits)}`];
  if (totals.dedupHits > 0) fields.push(`dedup ${formatCount(totals.dedupHits)}`);
  fields.push(`retries ${formatCount(totals.retries)}`, `failed ${formatCount(totals.failed)}`);
  if (totals.paused) fields.push('paused (rate limit)');
  return fields.join(' | ');
}
