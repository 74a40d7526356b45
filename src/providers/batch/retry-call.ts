/**
 * The batch control calls go through the project's one retry policy and loop (`retry/`): the same
 * classification, backoff and retry rule as realtime requests, so an upload, a create or a poll survives
 * 429s, 5xx and resets.
 */
import { computeBackoff } from '../../retry/backoff.js';
import { classifyFailure } from '../../retry/classify-failure.js';
import { retryLoop } from '../../retry/retry-loop.js';
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
  const result = await retryLoop<T>({
    limits: { maxRetries: policy.maxRetries },
    async attempt(attempt) {
      if (attempt > 1 && recover) {
        const found = await recover().catch(() => undefined);
        if (found !== undefined) return found;
      }
      return call();
    },
    judge: (error) => classifyFailure(error, { maxWaitMs: policy.maxWaitMs, nowMs: now() }),
    delayMs: (attempt, outcome) => computeBackoff(attempt, outcome.retryAfterMs, random),
    onRetry: (attempt, delayMs, outcome) => policy.onRetry?.({ operation, attempt, delayMs, info: outcome.info }),
    wait: (ms) => policy.sleep(ms, signal),
  });
  if (result.kind === 'ok') return result.value;
  // The loop stops only through `judge`, and classifyFailure never asks it to.
  if (result.kind === 'stopped') throw new Error(`${operation}: retry loop stopped without a verdict`);
  throw new BatchCallError(operation, result.outcome);
}
