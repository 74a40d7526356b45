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

/**
 * `eta 4m05s`, or null when there is nothing sensible to say. Once every item left is in flight and some
 * of them hang, the rate-based ETA would count down to "0.9s" and stay there: the honest answer is that
 * the run waits on those requests.
 */
export function formatEta(totals: RunTotals): string | null {
  if (waitsOnSlowTail(totals)) return `waiting on ${pluralRequests(totals.slowRequests)}${oldestSuffix(totals)}`;
  return totals.etaMs === null || totals.total === null ? null : `eta ${formatDuration(totals.etaMs)}`;
}

/** `2 slow (oldest 45s)` while requests wait unusually long; null when none does or the ETA already says so. */
export function formatSlow(totals: RunTotals): string | null {
  if (totals.slowRequests <= 0 || waitsOnSlowTail(totals)) return null;
  return `${formatCount(totals.slowRequests)} slow${oldestSuffix(totals)}`;
}

/** True when the items left are all in flight and some of those are slow: nothing else can finish the run. */
function waitsOnSlowTail(totals: RunTotals): boolean {
  if (totals.slowRequests <= 0 || totals.total === null) return false;
  return totals.total - countDone(totals) <= totals.inFlight;
}

function oldestSuffix(totals: RunTotals): string {
  return totals.oldestInFlightMs === null ? '' : ` (oldest ${formatDuration(totals.oldestInFlightMs)})`;
}

function pluralRequests(count: number): string {
  return `${formatCount(count)} slow ${count === 1 ? 'request' : 'requests'}`;
}

/** `paused (rate limit)` for a 429 pause, `paused (overloaded)` for a 529 one; null while not paused. */
export function formatPause(totals: RunTotals): string | null {
  if (!totals.paused) return null;
  return totals.pauseReason === 'overloaded' ? 'paused (overloaded)' : 'paused (rate limit)';
}

/**
 * The plain log line:
 * `[00:01:20] 1,234/5,000 (24.7%) 15.4 items/s eta 4m05s | $0.12 → $0.49 of $5.00 | cache 10 | retries 3 | failed 2`.
 * Every field is always present (except eta, slow requests, in-run duplicates and paused) so the lines stay easy to grep and parse.
 */
export function formatProgressLine(totals: RunTotals): string {
  const fraction = progressFraction(totals);
  let head = `[${formatClock(totals.elapsedMs)}] ${formatDoneOfTotal(totals)}`;
  if (fraction !== null) head += ` (${formatPercent(fraction)})`;
  head += ` ${formatRate(totals.rate)} items/s`;
  const eta = formatEta(totals);
  if (eta !== null) head += ` ${eta}`;
  const slow = formatSlow(totals);
  if (slow !== null) head += ` ${slow}`;

  const fields = [head, formatMoney(totals), `cache ${formatCount(totals.cacheHits)}`];
  if (totals.dedupHits > 0) fields.push(`duplicates ${formatCount(totals.dedupHits)}`);
  fields.push(`retries ${formatCount(totals.retries)}`, `failed ${formatCount(totals.failed)}`);
  const pause = formatPause(totals);
  if (pause !== null) fields.push(pause);
  return fields.join(' | ');
}
