import type { Reservation } from './budget-ledger.js';

/**
 * What the run engine needs of a `--budget`: the in-process `BudgetLedger`, or the `SharedBudgetLedger`
 * that several processes reserve from through Redis (SPEC §13). Same invariant either way:
 * spent + reserved ≤ budget, checked atomically on every reservation.
 */
export interface BudgetPort {
  /** The cap, USD (shared: the one every process sharing the budget now uses). */
  readonly budgetUsd: number;
  /** Spent by finished requests, USD (shared: by every process, as last seen). */
  readonly spentUsd: number;
  /** Held by requests in flight, USD (shared: by every process, as last seen). */
  readonly reservedUsd: number;
  /**
   * Claim `usd` for a request about to be sent, or null when it would not fit (stop dispatching).
   * Synchronous in process; one Redis round trip when shared.
   */
  tryReserve(usd: number): Reservation | null | Promise<Reservation | null>;
  /** The request was billed `actualUsd`: release its reservation and record the spend. */
  settle(reservation: Reservation, actualUsd: number): void;
  /** The request failed unbilled (or never left): give its reservation back. */
  release(reservation: Reservation): void;
  /** Waits for writes still on their way and leaves (shared budget only). */
  close?(): Promise<void>;
}
