/**
 * Counts requests that have waited unusually long for their answer (issue 13: hung requests must be
 * visible, not only timed out at the end). "Unusually" is relative to this run's own answers: a request
 * older than SLOW_FACTOR times the typical latency, and never less than MIN_SLOW_MS.
 */

/** Below this a request is never called slow: short answers vary a lot in relative terms. */
export const MIN_SLOW_MS = 10_000;
/** How many typical latencies a request may take before it counts as slow. */
export const SLOW_FACTOR = 3;
/** Weight of the newest latency in the running typical latency. */
const SMOOTHING = 0.05;

export class SlowRequests {
  readonly #startedAt = new Map<number, number>();
  #next = 0;
  #typicalMs: number | undefined;

  /** A request left at `now`; returns its handle for {@link end}. */
  start(now: number): number {
    const id = this.#next;
    this.#next += 1;
    this.#startedAt.set(id, now);
    return id;
  }

  /** The request's answer (or failure) arrived at `now`. */
  end(id: number, now: number): void {
    const startedAt = this.#startedAt.get(id);
    if (startedAt === undefined) return;
    this.#startedAt.delete(id);
    const latency = now - startedAt;
    this.#typicalMs = this.#typicalMs === undefined ? latency : this.#typicalMs + SMOOTHING * (latency - this.#typicalMs);
  }

  /** Age past which a request in flight counts as slow. */
  thresholdMs(): number {
    return Math.max(MIN_SLOW_MS, SLOW_FACTOR * (this.#typicalMs ?? 0));
  }

  /** Requests in flight that have waited longer than {@link thresholdMs} at `now`. */
  count(now: number): number {
    const threshold = this.thresholdMs();
    let slow = 0;
    for (const startedAt of this.#startedAt.values()) if (now - startedAt > threshold) slow += 1;
    return slow;
  }

  /** Age at `now` of the oldest request in flight; null when none is. */
  oldestAgeMs(now: number): number | null {
    let oldest: number | null = null;
    for (const startedAt of this.#startedAt.values()) if (oldest === null || startedAt < oldest) oldest = startedAt;
    return oldest === null ? null : Math.max(0, now - oldest);
  }
}
