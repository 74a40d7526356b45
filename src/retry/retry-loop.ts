/**
 * The one place that loops on the retry policy: an item's request (`run/item-processor.ts`) and a Batch API
 * control call (`providers/batch/retry-call.ts`) both go through `retryLoop`. What differs between them is
 * given as hooks: how one attempt is made, what a failure means (and what it costs), how long to wait.
 */
import { type RetryLimits, shouldRetry } from './retry-policy.js';
import type { FailureOutcome } from './types.js';

/** Returned by `judge` when the failure means the run is stopping: the loop ends without a verdict. */
export const STOP = Symbol('stop');

export interface RetryLoop<T> {
  limits: RetryLimits;
  /** One try (`attempt` is 1-based); resolves with the answer or throws. */
  attempt(attempt: number): Promise<T>;
  /** The verdict on a failed try; side effects every failed try needs (paid tokens, rate-limit evidence) go here. */
  judge(error: unknown, attempt: number): FailureOutcome | typeof STOP;
  /** How long to wait before retry number `attempt` (1-based). */
  delayMs(attempt: number, outcome: FailureOutcome): number;
  /** Told before each wait. */
  onRetry?(attempt: number, delayMs: number, outcome: FailureOutcome): void;
  /** Waits; a rejection ends the loop with that error. */
  wait(ms: number): Promise<void>;
  /** Checked before every try: true ends the loop as stopped. @default never */
  stopping?(): boolean;
}

export type RetryResult<T> =
  | { kind: 'ok'; value: T; attempts: number }
  | { kind: 'gave-up'; outcome: FailureOutcome; error: unknown; attempts: number }
  | { kind: 'stopped' };

export async function retryLoop<T>(loop: RetryLoop<T>): Promise<RetryResult<T>> {
  let invalidOutputs = 0;
  for (let attempt = 1; ; attempt += 1) {
    if (loop.stopping?.()) return { kind: 'stopped' };
    try {
      return { kind: 'ok', value: await loop.attempt(attempt), attempts: attempt };
    } catch (error) {
      const outcome = loop.judge(error, attempt);
      if (outcome === STOP) return { kind: 'stopped' };
      if (outcome.info.class === 'invalid_output') invalidOutputs += 1;
      if (!shouldRetry(outcome, { attempts: attempt, invalidOutputs }, loop.limits)) {
        return { kind: 'gave-up', outcome, error, attempts: attempt };
      }
      const delayMs = loop.delayMs(attempt, outcome);
      loop.onRetry?.(attempt, delayMs, outcome);
      await loop.wait(delayMs);
    }
  }
}
