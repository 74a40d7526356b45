import type { RateLimitSnapshot, RateLimitWindow } from './rate-limit-headers.js';

/** Per-minute limits read from a response's headers. */
export interface LearnedLimits {
  rpm?: number;
  tpm?: number;
}

/**
 * Share of a learned limit the scheduler aims at: close enough to use the account, far enough to never hit
 * it. Evenly spaced requests below the limit never drain a continuously refilling bucket, so the margin is
 * for timer jitter and clock skew, not for bursts. Not 0.95: SPEC §12 asks for at least 95% of the limit,
 * and timers only ever fire late, so aiming at exactly 95% measured 94.9–95.0% (`npm run bench`, row c).
 */
export const LEARNED_LIMIT_SHARE = 0.97;

/** A window with less than this share left means we (or another client of the key) are outrunning it. */
export const RUNNING_LOW_SHARE = 0.02;

/**
 * Buckets refill within a minute; a reset further away belongs to a daily (or longer) limit, which is
 * not a rate to pace by.
 */
const PER_MINUTE_RESET_MS = 61_000;

/**
 * The request and token limits per minute in a snapshot. Anthropic's separate input and output limits
 * are added up, because one token bucket is charged input plus output: the windows' own `remaining`
 * values catch the side that runs out first (see {@link isRunningLow}).
 */
export function limitsFromSnapshot(snapshot: RateLimitSnapshot): LearnedLimits {
  const limits: LearnedLimits = {};
  const requests = perMinute(snapshot.requests);
  if (requests !== undefined) limits.rpm = requests;
  const input = perMinute(snapshot.inputTokens);
  const output = perMinute(snapshot.outputTokens);
  const tokens = input !== undefined && output !== undefined ? input + output : perMinute(snapshot.tokens);
  if (tokens !== undefined) limits.tpm = tokens;
  return limits;
}

/** Whether any window in the snapshot is nearly used up: a signal to slow down before the 429s come. */
export function isRunningLow(snapshot: RateLimitSnapshot): boolean {
  return [snapshot.requests, snapshot.tokens, snapshot.inputTokens, snapshot.outputTokens].some(
    (window) =>
      window !== undefined &&
      window.remaining !== undefined &&
      (window.resetMs === undefined || window.resetMs <= PER_MINUTE_RESET_MS) &&
      window.remaining <= window.limit * RUNNING_LOW_SHARE,
  );
}

/** Whether two learned limits differ. */
export function limitsDiffer(a: LearnedLimits, b: LearnedLimits): boolean {
  return a.rpm !== b.rpm || a.tpm !== b.tpm;
}

function perMinute(window: RateLimitWindow | undefined): number | undefined {
  if (window === undefined) return undefined;
  if (window.resetMs !== undefined && window.resetMs > PER_MINUTE_RESET_MS) return undefined;
  return window.limit;
}
