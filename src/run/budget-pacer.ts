import type { Reservation } from '../cost/budget-ledger.js';
import type { BudgetPort } from '../cost/budget-port.js';
import { formatUsd } from '../cost/money.js';

/** Settled answers before the worst case is compared with what answers really cost. */
const ADVICE_AFTER_ANSWERS = 20;
/** A worst case this many times the average cost is "dwarfing" it: the budget is mostly held, not spent. */
const DWARF_RATIO = 10;
/** The suggested --max-tokens: this much headroom over the longest answer seen, rounded up to a multiple of 64. */
const SUGGESTED_HEADROOM = 2;
const SUGGESTION_STEP = 64;
/** The smallest output cap the budget's last requests are sent with. */
const MIN_LAST_CAP = 16;
/** A budget shared through Redis: how often to look again when only other processes hold reservations. */
const SHARED_RECHECK_MS = 250;

/** A reservation and the max_tokens it was made for; or why there is none. */
export type ReserveOutcome = { reservation: Reservation; maxOutputTokens: number } | 'reached' | 'stopped';

/**
 * Reserves from `--budget` so that it is used, not only bounded (issue 17): a reservation that does not fit
 * while others are in flight waits for them to settle (their actual cost is usually far below their worst
 * case) instead of stopping the run; the run stops only when nothing is in flight and it still does not
 * fit. Waiting holds a concurrency slot, so the concurrency shrinks with the remainder by itself.
 */
export class BudgetPacer {
  #held = 0;
  /** Reservations settled or released so far. */
  #freedCount = 0;
  #wake: Array<() => void> = [];
  #answers = 0;
  #answersUsd = 0;
  #longestOutput = 0;
  #advised = false;

  constructor(
    private readonly budget: Pick<BudgetPort, 'tryReserve' | 'settle' | 'release' | 'reservedUsd' | 'spentUsd' | 'budgetUsd'>,
    private readonly sleep: (ms: number) => Promise<void>,
    /**
     * Batch mode: held reservations are freed only when the caller acts (submits what it has gathered and
     * collects the batches in flight, settling them at their real cost). Called instead of waiting; it
     * should return once something was freed or nothing more can be.
     * @default wait for requests in flight to settle by themselves (realtime)
     */
    private readonly settleHeld?: () => Promise<void>,
  ) {}

  /** A reservation outside `reserve` (batch mode: an item of a batch an earlier run submitted); undefined when it does not fit. */
  async hold(usd: number): Promise<Reservation | undefined> {
    return (await this.#try(usd, 0))?.reservation;
  }

  /**
   * A reservation for a request of up to `maxOutputTokens` (`worstCaseAt(m)`: its worst-case USD with m
   * output tokens); once only the last requests fit, with a smaller max_tokens (see `smallerCap`).
   * 'reached' when nothing is in flight and not even that fits; 'stopped' when `stopping()` turned true.
   */
  async reserve(worstCaseAt: (maxOutputTokens: number) => number, maxOutputTokens: number, stopping: () => boolean): Promise<ReserveOutcome> {
    for (;;) {
      if (stopping()) return 'stopped';
      const freedBefore = this.#freedCount;
      const full = await this.#try(worstCaseAt(maxOutputTokens), maxOutputTokens);
      if (full) return full;
      // A reservation freed while this one was being tried: try again with what it left.
      if (this.#freedCount !== freedBefore) continue;
      if (this.#held > 0 && this.settleHeld === undefined) {
        await new Promise<void>((resolve) => this.#wake.push(resolve));
        continue;
      }
      if (this.#held > 0) {
        await this.settleHeld!();
        if (this.#freedCount !== freedBefore) continue;
        if (stopping()) return 'stopped';
        // Nothing could be freed (the batches outlived the wait): only the smaller cap below may still fit.
      }
      if (this.budget.reservedUsd > 0 && this.settleHeld === undefined) {
        await this.sleep(SHARED_RECHECK_MS);
        continue;
      }
      const cap = this.smallerCap(worstCaseAt, maxOutputTokens);
      const last = cap === undefined ? undefined : await this.#try(worstCaseAt(cap), cap);
      if (last) return last;
      // Another request took what was left meanwhile: wait for it rather than stop.
      if (this.#held === 0 || this.settleHeld !== undefined) return 'reached';
    }
  }

  async #try(usd: number, maxOutputTokens: number): Promise<{ reservation: Reservation; maxOutputTokens: number } | undefined> {
    const reservation = await this.budget.tryReserve(usd);
    if (!reservation) return undefined;
    this.#held += 1;
    return { reservation, maxOutputTokens };
  }

  /** The request was billed `actualUsd` (`outputTokens` of answer). */
  settle(reservation: Reservation, actualUsd: number, outputTokens: number): void {
    this.budget.settle(reservation, actualUsd);
    this.#answers += 1;
    this.#answersUsd += actualUsd;
    this.#longestOutput = Math.max(this.#longestOutput, outputTokens);
    this.#freed();
  }

  release(reservation: Reservation): void {
    this.budget.release(reservation);
    this.#freed();
  }

  /**
   * Once, when enough answers are in and a request's worst case is ≥ 10× what answers cost on average:
   * the advice to give, with a --max-tokens from the longest answer seen. Undefined otherwise.
   */
  advice(worstCaseUsd: number, maxOutputTokens: number): { averageUsd: number; suggestedMaxTokens: number } | undefined {
    if (this.#advised || this.#answers < ADVICE_AFTER_ANSWERS) return undefined;
    const averageUsd = this.#answersUsd / this.#answers;
    if (averageUsd <= 0 || worstCaseUsd < DWARF_RATIO * averageUsd) return undefined;
    const suggestedMaxTokens = Math.ceil((this.#longestOutput * SUGGESTED_HEADROOM) / SUGGESTION_STEP) * SUGGESTION_STEP;
    if (suggestedMaxTokens >= maxOutputTokens || suggestedMaxTokens === 0) return undefined;
    this.#advised = true;
    return { averageUsd, suggestedMaxTokens };
  }

  /**
   * Once the worst case no longer fits and nothing is in flight: the largest max_tokens whose worst case
   * fits what is left, provided it still allows twice the longest answer seen (so the last requests are
   * not cut off). This is how a run that does not fit spends nearly all of its budget. `worstCaseAt(m)` is
   * the worst-case USD with m output tokens (linear in m).
   */
  smallerCap(worstCaseAt: (maxOutputTokens: number) => number, maxOutputTokens: number): number | undefined {
    if (this.#answers === 0) return undefined;
    const remainingUsd = this.budget.budgetUsd - this.budget.spentUsd - this.budget.reservedUsd;
    const base = worstCaseAt(0);
    const perToken = worstCaseAt(1) - base;
    if (perToken <= 0) return undefined;
    // One token less than the exact quotient, so float rounding cannot make it miss the remainder.
    const cap = Math.floor((remainingUsd - base) / perToken) - 1;
    const floor = Math.max(MIN_LAST_CAP, this.#longestOutput * SUGGESTED_HEADROOM);
    return cap >= floor && cap < maxOutputTokens ? cap : undefined;
  }

  #freed(): void {
    this.#held -= 1;
    this.#freedCount += 1;
    const waiting = this.#wake;
    this.#wake = [];
    for (const wake of waiting) wake();
  }
}

/** The warning that goes with {@link BudgetPacer.advice}, in realtime and batch mode alike. */
export function describeAdvice(worstCaseUsd: number, maxOutputTokens: number, advice: { averageUsd: number; suggestedMaxTokens: number }): string {
  return (
    `each request holds ${formatUsd(worstCaseUsd)} of the budget (${maxOutputTokens} output tokens) while answers cost ${formatUsd(advice.averageUsd)} on average: ` +
    `--max-tokens ${advice.suggestedMaxTokens} (twice the longest answer so far) would let more requests run within the same budget`
  );
}
