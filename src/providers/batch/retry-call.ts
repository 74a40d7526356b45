/**
 * The batch control calls go through the project's one retry policy (`retry/`): the same classification
 * and backoff as realtime requests, so an upload, a create or a poll survives 429s, 5xx and resets.
 */
import { computeBackoff } from '../../retry/backoff.js';
import { classifyFailure } from '../../retry/classify-failure.js';
import type { FailureInfo } from '../../journal/records.js';
import { BatchCallError } from './batch-call-error.js';

/** A control call about to be tried again. */
export interface RetryNotice {
  operation: string;
  /** The attempt that failed (1-based). */
  attempt: number;
  delayMs: number;
  info: FailureInfo;
}

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** A server-advised wait longer than this is fatal (`--max-wait`). */
  maxWaitMs: number;
  /** @default Math.random */
  random?: () => number;
  /** Waits `ms`; rejects with an AbortError when `signal` aborts. */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** @default Date.now */
  now?: () => number;
  /** Told before each wait (the run turns it into a warning). */
  onRetry?: (notice: RetryNotice) => void;
}

/**
 * Run `call` until it succeeds, retrying retryable failures with backoff. Rejects with `BatchCallError`
 * when it gives up; an AbortError (the caller's signal) passes through unchanged. `recover` runs before each
 * retry: a create whose answer was lost may have succeeded, and finding that batch beats paying twice.
 */
export async function callWithRetry<T>(
  operation: string,
  call: () => Promise<T>,
  policy: RetryPolicy,
  signal: AbortSignal,
  recover?: () => Promise<T | undefined>,
): Promise<T> {
  const random = policy.random ?? Math.random;
  const now = policy.now ?? Date.now;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      const outcome = classifyFailure(error, { maxWaitMs: policy.maxWaitMs, nowMs: now() });
      if (outcome.disposition !== 'retry' || attempt > policy.maxRetries) throw new BatchCallError(operation, outcome);
      const delayMs = computeBackoff(attempt, outcome.retryAfterMs, random);
      policy.onRetry?.({ operation, attempt, delayMs, info: outcome.info });
      await policy.sleep(delayMs, signal);
    }
    if (recover) {
      const found = await recover().catch(() => undefined);
      if (found !== undefined) return found;
    }
  }
}
