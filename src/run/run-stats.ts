import type { FailureClass } from '../journal/records.js';
import { SlowRequests } from './slow-requests.js';
import type { Usage } from '../providers/types.js';
import { addTokens, zeroTokens, type TokenCounts } from '../usage/token-usage.js';
import type { PauseReason, RunTotals } from './events.js';

export interface RunStatsOptions {
  /** Items this run will process; null when unknown (stdin). */
  total: number | null;
  alreadyDone: number;
  budgetUsd: number | null;
  /** False when the model's price is unknown: costs are then null, never a fake 0. */
  priced: boolean;
  /** Multiplier from this run's mode to the other mode's price (0.5 realtime→batch, 2 batch→realtime). */
  otherModeFactor: number | null;
  now: () => number;
}

/** Running totals of one run; the engine feeds it, `snapshot()` gives the figures the UI shows. */
export class RunStats {
  readonly #options: RunStatsOptions;
  readonly #startedAt: number;
  #total: number | null;
  succeeded = 0;
  failed = 0;
  readonly failedByClass: Partial<Record<FailureClass, number>> = {};
  cacheHits = 0;
  dedupHits = 0;
  retries = 0;
  readonly retriesByClass: Partial<Record<FailureClass, number>> = {};
  requestsSent = 0;
  inFlight = 0;
  /** Requests in flight by start time, for `slowRequests` (see `SlowRequests`). */
  readonly requests = new SlowRequests();
  readonly tokens: TokenCounts = zeroTokens();
  spentUsd = 0;
  /** Cost and count of items that were actually paid for: the basis of the projection. */
  #paidItems = 0;
  #paidCostUsd = 0;

  constructor(options: RunStatsOptions) {
    this.#options = options;
    this.#total = options.total;
    this.#startedAt = options.now();
  }

  get total(): number | null {
    return this.#total;
  }

  /** Stdin runs learn their total only at the end of input. */
  setTotal(total: number): void {
    this.#total = total;
  }

  recordSuccess(usage: Usage | null, costUsd: number | null, source: 'api' | 'cache' | 'dedup'): void {
    this.succeeded += 1;
    if (source === 'cache') this.cacheHits += 1;
    if (source === 'dedup') this.dedupHits += 1;
    if (source !== 'api' || usage === null) return;
    this.addUsage(usage, costUsd);
    this.#paidItems += 1;
    this.#paidCostUsd += costUsd ?? 0;
  }

  /** Tokens that were paid for without producing a result (an answer that failed validation). */
  addUsage(usage: Usage, costUsd: number | null): void {
    addTokens(this.tokens, usage);
    this.spentUsd += costUsd ?? 0;
  }

  recordFailure(errorClass: FailureClass): void {
    this.failed += 1;
    this.failedByClass[errorClass] = (this.failedByClass[errorClass] ?? 0) + 1;
  }

  recordRetry(errorClass: FailureClass): void {
    this.retries += 1;
    this.retriesByClass[errorClass] = (this.retriesByClass[errorClass] ?? 0) + 1;
  }

  get finished(): number {
    return this.succeeded + this.failed;
  }

  snapshot(live: { reservedUsd: number; paused: boolean; pauseReason?: PauseReason | null }): RunTotals {
    const elapsedMs = Math.max(0, this.#options.now() - this.#startedAt);
    const rate = elapsedMs > 0 ? (this.finished * 1000) / elapsedMs : 0;
    const remaining = this.#total === null ? null : Math.max(0, this.#total - this.finished);
    const priced = this.#options.priced;
    const spentUsd = priced ? this.spentUsd : null;
    return {
      total: this.#total,
      succeeded: this.succeeded,
      failed: this.failed,
      failedByClass: { ...this.failedByClass },
      alreadyDone: this.#options.alreadyDone,
      inFlight: this.inFlight,
      slowRequests: this.requests.count(this.#options.now()),
      oldestInFlightMs: this.requests.oldestAgeMs(this.#options.now()),
      cacheHits: this.cacheHits,
      dedupHits: this.dedupHits,
      retries: this.retries,
      retriesByClass: { ...this.retriesByClass },
      requestsSent: this.requestsSent,
      ...this.tokens,
      spentUsd,
      projectedUsd: priced ? this.#project(remaining) : null,
      otherModeUsd:
        spentUsd !== null && this.#options.otherModeFactor !== null ? spentUsd * this.#options.otherModeFactor : null,
      budgetUsd: this.#options.budgetUsd,
      reservedUsd: live.reservedUsd,
      elapsedMs,
      rate,
      etaMs: remaining !== null && rate > 0 ? (remaining / rate) * 1000 : null,
      paused: live.paused,
      pauseReason: live.paused ? (live.pauseReason ?? 'rate_limit') : null,
    };
  }

  /**
   * Spent so far plus the average cost of a paid item times the items left. Cache hits cost nothing, so
   * only paid items set the average; until one has finished there is nothing honest to project.
   */
  #project(remaining: number | null): number | null {
    if (remaining === null) return null;
    if (this.#paidItems === 0) return remaining === 0 ? this.spentUsd : null;
    return this.spentUsd + (this.#paidCostUsd / this.#paidItems) * remaining;
  }
}
