/**
 * The `--budget` ledger (SPEC §10): every request reserves its worst-case cost before it is sent and
 * settles to its actual cost when it finishes.
 *
 * Design note. The invariant is spent + reserved ≤ budget, checked on every reservation. Settling
 * replaces a reservation by the actual cost, so as long as actual ≤ reserved for every request, spent can
 * never exceed the budget — whatever the concurrency or completion order. Actual can only exceed the
 * reservation when the estimate was wrong (tokenizer mismatch, images, a provider ignoring max_tokens), so
 * `worstCaseCost` pads the input estimate by `INPUT_ESTIMATE_MARGIN` and `INPUT_ESTIMATE_PADDING_TOKENS`,
 * bills it all at the uncached input price and all of max_tokens at the output price. Overruns that still
 * happen are recorded (`overrunUsd`) so the run can report them, never hidden.
 */

import { UsageError } from '../errors.js';
import type { RunMode } from '../journal/records.js';
import { TOKENS_PER_PRICE_UNIT } from './cost-of-usage.js';
import type { ModelPrice } from './prices.js';

/** Input estimates are scaled up by this factor: o200k vs the provider's own tokenizer differ by a few %. */
export const INPUT_ESTIMATE_MARGIN = 1.1;

/** …plus this many tokens, for chat-format overhead on tiny prompts where 10% is less than a token. */
export const INPUT_ESTIMATE_PADDING_TOKENS = 16;

/** Fractions of the budget, spent, at which a warning fires (once each). */
export const BUDGET_WARNING_FRACTIONS = [0.5, 0.75, 0.9] as const;

export type BudgetWarningFraction = (typeof BUDGET_WARNING_FRACTIONS)[number];

/** A request's claim on the budget, from `tryReserve` until `settle` or `release`. */
export interface Reservation {
  readonly id: number;
  readonly usd: number;
}

export interface BudgetLedgerOptions {
  /** The hard cap for this run, USD. */
  budgetUsd: number;
  /** Called once per fraction when spent first reaches it (several in order if one settle crosses them). */
  onWarning?: (fraction: BudgetWarningFraction, spentUsd: number) => void;
}

/**
 * The most a request can cost: estimated input tokens (padded by the margin) at the full input price —
 * no cache discount, a cache hit is not guaranteed — plus all of max output at the output price.
 */
export function worstCaseCost(inputTokens: number, maxOutputTokens: number, price: ModelPrice, mode: RunMode): number {
  const paddedInput = Math.ceil(inputTokens * INPUT_ESTIMATE_MARGIN) + INPUT_ESTIMATE_PADDING_TOKENS;
  const cost = (paddedInput * price.inputPerMTok + maxOutputTokens * price.outputPerMTok) / TOKENS_PER_PRICE_UNIT;
  return mode === 'batch' ? cost * price.batchDiscount : cost;
}

/**
 * The warning fractions that `spentUsd` has reached, after the first `fired` of them (already told), in
 * order: one settle can cross several. Shared by the local and the Redis-shared ledger.
 */
export function warningsReached(spentUsd: number, budgetUsd: number, fired: number): BudgetWarningFraction[] {
  if (budgetUsd <= 0) return [];
  return BUDGET_WARNING_FRACTIONS.slice(fired).filter((fraction) => spentUsd >= fraction * budgetUsd);
}

/** Reservations and spend against one budget. Single-threaded: every method is synchronous. */
export class BudgetLedger {
  readonly budgetUsd: number;
  private readonly onWarning: BudgetLedgerOptions['onWarning'];
  private readonly active = new Map<number, number>();
  private nextId = 1;
  private spent = 0;
  private reserved = 0;
  private overrun = 0;
  private warningsFired = 0;

  constructor(options: BudgetLedgerOptions) {
    if (!Number.isFinite(options.budgetUsd) || options.budgetUsd < 0) {
      throw new UsageError(`Expected the budget to be an amount of USD ≥ 0, got \`${options.budgetUsd}\``);
    }
    this.budgetUsd = options.budgetUsd;
    this.onWarning = options.onWarning;
  }

  /** Spent by finished requests, USD. */
  get spentUsd(): number {
    return this.spent;
  }

  /** Held by requests in flight, USD. */
  get reservedUsd(): number {
    return this.reserved;
  }

  /** What new reservations can still claim, USD. */
  get remainingUsd(): number {
    return Math.max(0, this.budgetUsd - this.spent - this.reserved);
  }

  /** How much actual costs exceeded their reservations in total (0 when every estimate held). */
  get overrunUsd(): number {
    return this.overrun;
  }

  /** Claim `usd` for a request about to be sent, or null when it would not fit: stop dispatching. */
  tryReserve(usd: number): Reservation | null {
    assertAmount(usd, 'reservation');
    if (this.spent + this.reserved + usd > this.budgetUsd) return null;
    const reservation: Reservation = { id: this.nextId++, usd };
    this.active.set(reservation.id, usd);
    this.reserved += usd;
    return reservation;
  }

  /** The request finished and was billed `actualUsd`: release its reservation and record the spend. */
  settle(reservation: Reservation, actualUsd: number): void {
    assertAmount(actualUsd, 'actual cost');
    this.drop(reservation);
    this.spent += actualUsd;
    if (actualUsd > reservation.usd) this.overrun += actualUsd - reservation.usd;
    this.fireWarnings();
  }

  /** The request failed unbilled (or never left): give its reservation back. */
  release(reservation: Reservation): void {
    this.drop(reservation);
  }

  private drop(reservation: Reservation): void {
    if (!this.active.delete(reservation.id)) {
      throw new Error(`Budget reservation ${reservation.id} was already settled or released`);
    }
    // Recomputing from zero when nothing is in flight stops float drift from accumulating over a long run.
    this.reserved = this.active.size === 0 ? 0 : this.reserved - reservation.usd;
  }

  private fireWarnings(): void {
    for (const fraction of warningsReached(this.spent, this.budgetUsd, this.warningsFired)) {
      this.warningsFired += 1;
      this.onWarning?.(fraction, this.spent);
    }
  }
}

function assertAmount(usd: number, what: string): void {
  if (!Number.isFinite(usd) || usd < 0) throw new RangeError(`Expected the ${what} to be USD ≥ 0, got ${usd}`);
}
