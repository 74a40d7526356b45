import type { FailureOutcome } from '../../retry/types.js';

/**
 * A batch control call (upload, create, poll, download, cancel) that gave up: not retryable, out of
 * retries, or fatal for the run. `outcome` is the retry layer's verdict on the last failure.
 */
export class BatchCallError extends Error {
  override readonly name = 'BatchCallError';
  constructor(
    /** What was being done, for messages: `upload`, `create batch`, `poll batch_abc`, … */
    readonly operation: string,
    readonly outcome: FailureOutcome,
  ) {
    super(`${operation} failed: ${outcome.info.message}`);
  }

  /** True when the whole run must stop (auth, quota, Retry-After beyond --max-wait). */
  get fatal(): boolean {
    return this.outcome.disposition === 'fatal';
  }
}
