import type { FailureInfo } from '../journal/records.js';

/** When the breaker trips (issue 17): documented in the README and adjustable by flag. */
export interface BreakerLimits {
  /** The run's first this many items all failed the same way and none succeeded. 0 disables. @default 10 */
  first: number;
  /** This many items in a row failed the same way, whatever came before. 0 disables. @default 100 */
  streak: number;
}

export const DEFAULT_BREAKER_LIMITS: BreakerLimits = { first: 10, streak: 100 };

/**
 * Stops a run that can only fail: a wrong model name, a bad parameter or a broken prompt gets the same
 * non-retryable answer for every item, and without this a million-row run would send a million requests.
 * Counts items that ended as `bad_request` dead letters with the same status and message.
 */
export class CircuitBreaker {
  #succeeded = false;
  #streak = 0;
  #lastKey: string | undefined;

  constructor(private readonly limits: BreakerLimits) {}

  success(): void {
    this.#succeeded = true;
    this.#streak = 0;
    this.#lastKey = undefined;
  }

  /** Records a dead letter; returns the reason to stop when the breaker trips. */
  failure(info: FailureInfo): string | undefined {
    if (info.class !== 'bad_request') {
      this.#streak = 0;
      this.#lastKey = undefined;
      return undefined;
    }
    const key = `${info.status ?? ''}|${info.code ?? ''}|${info.message}`;
    this.#streak = key === this.#lastKey ? this.#streak + 1 : 1;
    this.#lastKey = key;
    const firstTrip = !this.#succeeded && this.limits.first > 0 && this.#streak >= this.limits.first;
    const streakTrip = this.limits.streak > 0 && this.#streak >= this.limits.streak;
    if (!firstTrip && !streakTrip) return undefined;
    const which = firstTrip
      ? `the first ${this.#streak} items all failed with the same error and none succeeded`
      : `${this.#streak} items in a row failed with the same error`;
    const status = info.status === undefined ? '' : `${info.status} `;
    return (
      `${which}: ${status}"${info.message}". ` +
      `Fix what the provider names (model name, a parameter, the template), then resume; ` +
      `the thresholds are --breaker-first ${this.limits.first} and --breaker-streak ${this.limits.streak} (0 turns one off)`
    );
  }
}
