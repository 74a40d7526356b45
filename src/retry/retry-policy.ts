/**
 * Whether a failed attempt gets another try: the one rule both the item path and the Batch API control
 * calls follow. Pure; `retry-loop.ts` keeps the counters.
 */
import type { FailureOutcome } from './types.js';

export interface RetryLimits {
  /** Retries after the first attempt (`--max-retries`). */
  maxRetries: number;
  /**
   * Retries allowed for answers that failed their schema. A model that got the shape wrong twice usually
   * gets it wrong again, and every try is paid in full, so this is kept below `maxRetries`.
   * @default unlimited (only `maxRetries` counts)
   */
  maxInvalidOutputRetries?: number;
}

/** What the loop has seen so far for one request. */
export interface AttemptCount {
  /** Attempts made, including the one that just failed (1-based). */
  attempts: number;
  /** How many of them ended in an invalid answer. */
  invalidOutputs: number;
}

export function shouldRetry(outcome: FailureOutcome, count: AttemptCount, limits: RetryLimits): boolean {
  if (outcome.disposition !== 'retry') return false;
  if (count.attempts > limits.maxRetries) return false;
  const invalidCap = limits.maxInvalidOutputRetries ?? Number.POSITIVE_INFINITY;
  return outcome.info.class !== 'invalid_output' || count.invalidOutputs <= invalidCap;
}
