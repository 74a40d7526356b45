/**
 * AIMD (additive increase, multiplicative decrease) for the dispatch rate, as pure decisions: the caller
 * passes the time and applies the answer. The rate is a `factor` of a reference rate (the `--rpm`/`--tpm`
 * flags, 97% of the limits learned from headers, or, with neither, the rate observed at the first 429).
 */

/** Options for {@link AdaptiveRate}. */
export interface AdaptiveRateOptions {
  /**
   * Factor applied on a 429/529.
   * @default 0.7
   */
  decreaseFactor?: number;
  /**
   * Added to the factor per success, outside a pause: 30 successes climb back from 0.7 to 1.
   * @default 0.01
   */
  increaseStep?: number;
  /**
   * The factor never goes below this.
   * @default 0.05
   */
  minFactor?: number;
  /**
   * Pause after the first 429 that gives no Retry-After; doubles with each further one in a row.
   * @default 1000
   */
  initialBackoffMs?: number;
  /**
   * Longest pause chosen without advice.
   * @default 60000
   */
  maxBackoffMs?: number;
  /**
   * A pause window lasts at least this long: the 429s of requests that were already in flight when the
   * first one came back belong to the same episode (one decrease, one event) even with `Retry-After: 0`.
   * @default 1000
   */
  minWindowMs?: number;
}

/** What to do about a 429. */
export interface RateLimitedDecision {
  factor: number;
  /** Dispatch nothing before this time (ms since epoch). */
  pauseUntil: number;
  /** `pauseUntil - now`. */
  pauseMs: number;
  /** This 429 started a new pause window: decrease applied, tell the user. Otherwise it joined one. */
  newWindow: boolean;
}

/** A factor after an event; `changed` says whether it moved. */
export interface FactorDecision {
  factor: number;
  changed: boolean;
}

/** AIMD state machine. `maxFactor` is 1 when the reference is a real limit, unbounded when it was guessed. */
export class AdaptiveRate {
  private readonly options: Required<AdaptiveRateOptions>;
  private current = 1;
  private cap = 1;
  private pausedUntil = 0;
  private windowEnd = 0;
  private consecutive = 0;

  constructor(options: AdaptiveRateOptions = {}) {
    this.options = {
      decreaseFactor: options.decreaseFactor ?? 0.7,
      increaseStep: options.increaseStep ?? 0.01,
      minFactor: options.minFactor ?? 0.05,
      initialBackoffMs: options.initialBackoffMs ?? 1000,
      maxBackoffMs: options.maxBackoffMs ?? 60_000,
      minWindowMs: options.minWindowMs ?? 1000,
    };
  }

  /** The current share of the reference rate. */
  get factor(): number {
    return this.current;
  }

  /** Dispatch is paused until this time (0 when it never was). */
  get pauseUntil(): number {
    return this.pausedUntil;
  }

  isPaused(now: number): boolean {
    return now < this.pausedUntil;
  }

  /**
   * Whether the factor may grow past 1: not when the reference is a known limit (flag or headers); yes
   * when it was only the rate observed at a 429, which may have been a transient overload.
   */
  setUncapped(uncapped: boolean): FactorDecision {
    this.cap = uncapped ? Number.POSITIVE_INFINITY : 1;
    return this.clampTo(this.cap);
  }

  /**
   * A 429/529 arrived, with the provider's advice when it gave one. `decrease: false` pauses without
   * cutting the rate: a 529 says the provider is overloaded for everyone, not that we went too fast.
   */
  onRateLimited(now: number, retryAfterMs?: number, options: { decrease?: boolean } = {}): RateLimitedDecision {
    const advisedUntil = retryAfterMs === undefined ? now : now + Math.max(0, retryAfterMs);
    if (now < this.windowEnd) {
      // Same episode: honour a later advice, but do not decrease again or announce it again.
      this.pausedUntil = Math.max(this.pausedUntil, advisedUntil);
      this.windowEnd = Math.max(this.windowEnd, this.pausedUntil);
      const pauseMs = Math.max(0, this.pausedUntil - now);
      return { factor: this.current, pauseUntil: this.pausedUntil, pauseMs, newWindow: false };
    }
    this.consecutive += 1;
    if (options.decrease !== false) {
      this.current = Math.max(this.options.minFactor, this.current * this.options.decreaseFactor);
    }
    const pauseMs = retryAfterMs === undefined ? this.backoffMs() : Math.max(0, retryAfterMs);
    this.pausedUntil = now + pauseMs;
    this.windowEnd = now + Math.max(pauseMs, this.options.minWindowMs);
    return { factor: this.current, pauseUntil: this.pausedUntil, pauseMs, newWindow: true };
  }

  /** A request succeeded. Successes during a pause were sent before it and prove nothing. */
  onSuccess(now: number): FactorDecision {
    if (now < this.windowEnd) return { factor: this.current, changed: false };
    this.consecutive = 0;
    const next = Math.min(this.cap, this.current + this.options.increaseStep);
    const changed = next !== this.current;
    this.current = next;
    return { factor: next, changed };
  }

  private backoffMs(): number {
    const doubled = this.options.initialBackoffMs * 2 ** (this.consecutive - 1);
    return Math.min(this.options.maxBackoffMs, doubled);
  }

  private clampTo(cap: number): FactorDecision {
    if (this.current <= cap) return { factor: this.current, changed: false };
    this.current = cap;
    return { factor: cap, changed: true };
  }
}
