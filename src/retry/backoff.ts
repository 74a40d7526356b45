/**
 * How long to wait before the next try: exponential backoff with full jitter (AWS's "Exponential Backoff
 * and Jitter"), capped, unless the server said how long, in which case its advice wins. Pure: the random
 * source is injected so tests are deterministic.
 */

export interface BackoffOptions {
  /** Upper bound of the first retry's wait, in ms; it doubles with each retry. @default 1000 */
  baseMs?: number;
  /** Largest wait backoff alone can produce, in ms (a server's Retry-After may exceed it). @default 60000 */
  capMs?: number;
}

const DEFAULT_BASE_MS = 1_000;

/**
 * Backoff for one item's own retries in a realtime run. A fault that hits one request among hundreds per
 * second is news about that request, not the server: the rate controller pauses everyone when there is
 * evidence of a limit (issue 13). With the default 1 s base, the few items that draw four or five faults in
 * a row (17% faults, 3,000 items: a handful) waited up to 1 + 2 + 4 + 8 + 16 s and formed a 24 s tail (row g,
 * README Performance); from 250 ms they wait at most 7.75 s over five faults, and a server that keeps
 * failing still sees waits double to the cap.
 */
export const ITEM_BACKOFF: BackoffOptions = { baseMs: 250, capMs: 30_000 };
const DEFAULT_CAP_MS = 60_000;
/**
 * Spread added on top of a server-advised wait, so workers paused by the same 429 do not all resume in
 * the same millisecond and earn another one together.
 */
const RETRY_AFTER_JITTER_MS = 1_000;

/**
 * Milliseconds to wait before retry number `attempt` (1-based). `random` returns [0, 1), like Math.random.
 */
export function computeBackoff(
  attempt: number,
  retryAfterMs: number | undefined,
  random: () => number,
  options: BackoffOptions = {},
): number {
  const baseMs = options.baseMs ?? DEFAULT_BASE_MS;
  const capMs = options.capMs ?? DEFAULT_CAP_MS;
  if (retryAfterMs !== undefined) {
    return Math.ceil(retryAfterMs + random() * Math.min(RETRY_AFTER_JITTER_MS, baseMs));
  }
  // 2 ** 30 keeps the exponent finite however many retries are configured; the cap bounds it anyway.
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30);
  const ceiling = Math.min(capMs, baseMs * 2 ** exponent);
  return Math.floor(random() * ceiling);
}
