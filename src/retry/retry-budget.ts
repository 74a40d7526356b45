/**
 * Whether a failed item gets another try. Pure; the run engine owns the counters.
 */
import type { FailureOutcome } from './types.js';

/**
 * Retries allowed for an answer that failed its schema. A model that got the shape wrong twice usually
 * gets it wrong again, and every try is paid in full, so this is smaller than --max-retries.
 */
export const INVALID_OUTPUT_MAX_RETRIES = 2;

/**
 * True when the item should be tried again: the failure is retryable and the item has retries left.
 * `attemptsSoFar` counts the attempts made, including the one that just failed.
 */
export function shouldRetry(outcome: FailureOutcome, attemptsSoFar: number, maxRetries: number): boolean {
  if (outcome.disposition !== 'retry') return false;
  const cap = outcome.info.class === 'invalid_output' ? Math.min(maxRetries, INVALID_OUTPUT_MAX_RETRIES) : maxRetries;
  const retriesSoFar = attemptsSoFar - 1;
  return retriesSoFar < cap;
}
