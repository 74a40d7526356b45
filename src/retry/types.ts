import type { FailureInfo } from '../journal/records.js';

/** What to do with a failed attempt. */
export type Disposition =
  /** Try the item again after a backoff (until --max-retries). */
  | 'retry'
  /** Give up on this item: write a dead letter, the run goes on. */
  | 'dead-letter'
  /** Stop the whole run: auth, quota, Retry-After beyond --max-wait (exit 4). */
  | 'fatal';

/** The retry layer's verdict on one failed attempt: pure data, decided by `classifyFailure`. */
export interface FailureOutcome {
  info: FailureInfo;
  disposition: Disposition;
  /** The server's advice (`retry-after-ms`, `retry-after`), in ms from now. */
  retryAfterMs?: number;
  /** A 429/529: pause all dispatching, not just this item. */
  pausesDispatch: boolean;
}
